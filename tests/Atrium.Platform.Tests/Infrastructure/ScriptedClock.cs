namespace Atrium.Platform.Tests.Infrastructure;

/// <summary>A clock whose n-th reading (from 0) is whatever the script says, forwards or backwards.</summary>
internal sealed class ScriptedClock(Func<long, DateTimeOffset> script) : TimeProvider
{
    private long _readings;

    public override DateTimeOffset GetUtcNow() => script(Interlocked.Increment(ref _readings) - 1);
}
