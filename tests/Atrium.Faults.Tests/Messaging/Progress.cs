using System.Diagnostics;
using Xunit;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>Writes a scenario's steps with their elapsed time to the test output (where a slow or stuck run stands).</summary>
public sealed class Progress
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Step(string what) =>
        TestContext.Current.TestOutputHelper?.WriteLine($"[{_clock.Elapsed.TotalSeconds,7:0.0} s] {what}");
}
