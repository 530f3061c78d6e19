namespace Atrium.Server.Tests.Support;

/// <summary>
/// A gate for the test-only endpoint <c>GET /test/hold</c> (<see cref="HoldEndpointStartupFilter"/>): each request
/// counts itself in, then waits until the test opens the gate — so a test holds exactly N requests in flight, without
/// timing anything.
/// </summary>
public sealed class HeldRequests
{
    public const string Path = "/test/hold";

    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _entered;

    /// <summary>Requests that reached the handler (so hold a load-shedding permit).</summary>
    public int Entered => Volatile.Read(ref _entered);

    /// <summary>Lets every held request, and every later one, finish.</summary>
    public void Open() => _open.TrySetResult();

    internal async Task<string> HoldAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _entered);
        await _open.Task.WaitAsync(cancellationToken);
        return "released";
    }
}
