using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit;

namespace Atrium.Browser.Tests.Support;

/// <summary>axe-core with the same rules as <see cref="AccessibilityTests"/>: WCAG 2.1 A and AA plus best practices, no violation allowed.</summary>
public static class AxeChecks
{
    private static readonly AxeRunOptions Rules = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    };

    public static async Task AssertAccessibleAsync(IPage page, string where)
    {
        var result = await page.RunAxe(Rules);
        var problems = result.Violations.Select(v =>
            $"- {v.Id} ({v.Impact}): {v.Help}\n" + string.Join("\n", v.Nodes.Select(n => $"    {n.Target}: {n.Html}")));
        Assert.True(result.Violations.Length == 0, $"axe found problems on {where}:\n{string.Join("\n", problems)}");
    }
}
