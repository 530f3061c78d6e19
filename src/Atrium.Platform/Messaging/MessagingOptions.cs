namespace Atrium.Platform.Messaging;

/// <summary>Outbox relay and consumer settings (<c>Atrium:Messaging</c>).</summary>
public sealed class MessagingOptions
{
    /// <summary>Attempts per event and consumer before it is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry waits up to this long; each later one doubles it (full jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>No retry waits longer than this.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the relay and the consumers look for work when nothing woke them.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Rows the relay moves, or a consumer takes, per round.</summary>
    public int BatchSize { get; set; } = 100;
}
