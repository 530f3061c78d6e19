using Xunit;

namespace Atrium.Platform.Tests.Infrastructure;

/// <summary>
/// Polls for an asynchronous effect until it shows or a generous deadline passes. The deadline only
/// bounds a hang; no assertion depends on how fast anything happens.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? deadline = null)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var until = DateTime.UtcNow + (deadline ?? Deadline);
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"Still not true after {(deadline ?? Deadline).TotalSeconds:0.#} s: {what}");
            }

            await Task.Delay(Interval, cancellationToken);
        }
    }

    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan? deadline = null) =>
        HoldsAsync(() => Task.FromResult(condition()), what, deadline);
}
