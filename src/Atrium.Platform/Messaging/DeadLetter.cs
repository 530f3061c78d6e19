namespace Atrium.Platform.Messaging;

/// <summary>An event a consumer gave up on, kept for an operator to read and replay.</summary>
public sealed record DeadLetter(
    long Id,
    string Consumer,
    long EventId,
    string Type,
    string Payload,
    DateTimeOffset OccurredAt,
    int Attempts,
    string LastError,
    DateTimeOffset FailedAt);
