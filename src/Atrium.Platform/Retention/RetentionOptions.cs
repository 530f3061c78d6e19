namespace Atrium.Platform.Retention;

/// <summary>
/// How long the Platform's tables that grow with traffic keep their rows (<c>Atrium:Retention</c>), and how the
/// <see cref="RetentionSweeper"/> deletes the rest. Every window is stated in DESIGN.md §4.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>How often the sweeper looks for expired rows (it starts with a sweep).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows deleted per statement: small batches keep each delete's locks and WAL short.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// <c>platform_inbox</c>: how long a consumer remembers an event it applied. Longer than any redelivery
    /// (a relay re-send or a broker redelivery arrives within seconds, a duplicate copy behind a queue backlog
    /// within that backlog's age, a dead letter is replayed within <see cref="DeadLetters"/>), so a redelivery
    /// is still deduplicated.
    /// </summary>
    public TimeSpan Inbox { get; set; } = TimeSpan.FromDays(14);

    /// <summary><c>platform_idempotency</c>: never shorter than the keys' own 24 h (<see cref="Idempotency.IdempotencyKeys.Retention"/>).</summary>
    public TimeSpan IdempotencyKeys { get; set; } = Idempotency.IdempotencyKeys.Retention;

    /// <summary>
    /// <c>platform_dead_letters</c>: how long a letter waits for an operator's replay. Not longer than
    /// <see cref="Inbox"/>: a letter of an event its consumer did apply (a commit whose ack was lost until the
    /// delivery limit) must still be skipped by the inbox when it is replayed.
    /// </summary>
    public TimeSpan DeadLetters { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Null when the settings hold together, else what is wrong.</summary>
    public string? Problem() =>
        Interval <= TimeSpan.Zero || BatchSize < 1 ? "Atrium:Retention: Interval and BatchSize must be positive."
        : IdempotencyKeys < Idempotency.IdempotencyKeys.Retention ? $"Atrium:Retention:IdempotencyKeys must be at least {Idempotency.IdempotencyKeys.Retention}."
        : DeadLetters > Inbox ? "Atrium:Retention:DeadLetters must not be longer than Atrium:Retention:Inbox."
        : null;
}
