namespace Atrium.Platform.Messaging;

/// <summary>An event on the wire: its unique id (the idempotency key of every consumer), type name and JSON payload.</summary>
public sealed record EventEnvelope(long Id, string Type, string Payload, DateTimeOffset OccurredAt);
