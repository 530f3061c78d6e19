namespace Atrium.Faults.Tests.Ledger;

/// <summary>One client operation in a <see cref="OperationLedger"/>.</summary>
/// <param name="Id">Sequence number in the ledger.</param>
/// <param name="Kind">What was done: "link.create", "post.create", "chat.send", ...</param>
/// <param name="Key">The client's own key for it (an idempotency key, a client message id, a link alias...).</param>
/// <param name="Outcome">What the client knows of it.</param>
/// <param name="Value">What the system acknowledged (an id, a short code, a seq), when it answered Ok.</param>
/// <param name="Error">The failure or the reason it is unknown.</param>
public sealed record Operation(long Id, string Kind, string Key, Outcome Outcome, string? Value, string? Error)
{
    /// <summary>When it was invoked, since the ledger was created.</summary>
    public TimeSpan InvokedAt { get; init; }

    /// <summary>When it was completed (ok / failed / unknown), since the ledger was created; null while invoked.</summary>
    public TimeSpan? CompletedAt { get; init; }
}
