using System.Net;
using System.Net.Http.Json;
using Atrium.Browser.Tests.Support;
using Atrium.Testing;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit;

namespace Atrium.Browser.Tests;

/// <summary>
/// axe-core (Deque's accessibility engine) on every page, in the light and the dark theme: WCAG 2.1 A and
/// AA rules (labels, names, roles, colour contrast, …) and axe's best practices, with no violation allowed.
/// </summary>
public sealed class AccessibilityTests(AtriumBrowserFixture fixture) : BrowserTest(fixture)
{
    private static readonly AxeRunOptions Rules = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    };

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task Every_page_passes_axe(ColorScheme scheme)
    {
        await Page.EmulateMediaAsync(new() { ColorScheme = scheme });

        await Page.GotoAsync("/#/signin");
        await Expect(Heading("Welcome back")).ToBeVisibleAsync();
        await AssertAccessibleAsync("sign in");

        await Page.GotoAsync("/#/signup");
        await Button("Create account").ClickAsync();
        await Expect(Page.GetByText("Choose a username.")).ToBeVisibleAsync();
        await AssertAccessibleAsync("sign up, with errors");

        var user = await NewUserAsync();
        var alias = NewAlias("a11y");
        using (var client = Fixture.CreateClient().As(user))
        {
            using var created = await client.PostAsJsonAsync(new Uri("/api/v1/links", UriKind.Relative), new { url = Target("a11y"), alias }, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var follow = await Page.APIRequest.GetAsync($"/{alias}", new() { MaxRedirects = 0, Headers = new Dictionary<string, string> { ["User-Agent"] = DesktopChrome } });
        Assert.Equal(302, follow.Status);

        await SignInAsync(user.Username, TestUsers.Password);
        await ShortenAsync(Target("a11y-second"));
        await AssertAccessibleAsync("links, with a result");

        await AccountMenu().ClickAsync();
        await Expect(Button("Sign out")).ToBeVisibleAsync();
        await AssertAccessibleAsync("links, account menu open");
        await Page.Keyboard.PressAsync("Escape");

        await Page.Locator($"li[data-code='{alias}']").GetByRole(AriaRole.Button, new() { Name = $"Disable {alias}" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await AssertAccessibleAsync("disable dialog");
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await Page.GotoAsync($"/#/links/{alias}/stats");
        await RefreshStatsUntilAsync("total", "1");
        await AssertAccessibleAsync("stats");

        await Page.GotoAsync("/#/feed");
        await Expect(Heading("Feed")).ToBeVisibleAsync();
        await Expect(Page.GetByText("Your timeline is empty")).ToBeVisibleAsync();
        await AssertAccessibleAsync("feed");
    }

    private async Task AssertAccessibleAsync(string where)
    {
        var result = await Page.RunAxe(Rules);
        var problems = result.Violations.Select(v =>
            $"- {v.Id} ({v.Impact}): {v.Help}\n" + string.Join("\n", v.Nodes.Select(n => $"    {n.Target}: {n.Html}")));
        Assert.True(result.Violations.Length == 0, $"axe found problems on {where}:\n{string.Join("\n", problems)}");
    }
}
