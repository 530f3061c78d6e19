using Atrium.Platform.Messaging;

namespace Atrium.Platform.Hosting;

/// <summary>
/// How long a supervised service waits before it runs again after a failure: exponential from <see cref="Base"/>,
/// capped at <see cref="Max"/>, with full jitter (a random wait up to that ceiling), so nodes that failed together do
/// not retry together.
/// </summary>
public sealed record Backoff(TimeSpan Base, TimeSpan Max)
{
    /// <summary>0.5 s doubling up to 15 s: a dependency that returns is used again within 15 s.</summary>
    public static Backoff Default { get; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(15));

    /// <summary>From <paramref name="baseDelay"/>, capped at <paramref name="maxDelay"/> but never above the default's 15 s.</summary>
    public static Backoff UpTo(TimeSpan baseDelay, TimeSpan maxDelay) => new(baseDelay, maxDelay < Default.Max ? maxDelay : Default.Max);

    public TimeSpan Delay(int failures, Random random) => RetryBackoff.Delay(failures, Base, Max, random);
}
