using System.Threading.Channels;

namespace Atrium.Platform.Messaging;

/// <summary>
/// A wake-up call between an in-process producer of work and the loop that drains it. Signals
/// coalesce (at most one pending); polling covers anything missed, e.g. work from another process.
/// </summary>
public sealed class WorkSignal
{
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    public void Notify() => _signal.Writer.TryWrite(true);

    /// <summary>Returns when notified (true) or after <paramref name="timeout"/> (false), whichever comes first.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await _signal.Reader.ReadAsync(timeoutSource.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // timed out: time to poll
        }
    }
}
