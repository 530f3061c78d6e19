namespace Atrium.Platform.Idempotency;

/// <summary>What an earlier request with the same key did: a hash of its body and the resource it created.</summary>
public sealed record IdempotencyRecord(string RequestHash, string Resource);
