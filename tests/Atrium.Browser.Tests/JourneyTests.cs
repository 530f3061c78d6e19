using System.Text.RegularExpressions;
using Atrium.Browser.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Atrium.Browser.Tests;

/// <summary>The whole journey the issue asks for: sign up, shorten, copy, follow the short link, see the click.</summary>
public sealed class JourneyTests(AtriumBrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_new_user_signs_up_shortens_a_link_follows_it_and_sees_the_click_in_stats()
    {
        // Sign up.
        await Page.GotoAsync("/");
        await Expect(Heading("Welcome back")).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
        await Expect(Heading("Create your account")).ToBeVisibleAsync();
        await ScreenshotAsync("01-sign-up");

        var username = NewUsername("ada");
        await Field("Username").FillAsync(username);
        await Page.GetByLabel("Display name").FillAsync("Ada Lovelace");
        await Field("Password").FillAsync("analytical engine 1843");
        await Button("Create account").ClickAsync();

        // Signed in: the Links page, with the user in the top bar.
        await Expect(Heading("Links")).ToBeVisibleAsync();
        await Expect(AccountMenu()).ToHaveAccessibleNameAsync("Ada Lovelace (account menu)");
        await Expect(Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Links" }))
            .ToHaveAttributeAsync("aria-current", "page");

        // Shorten with an alias: the short link is shown and copyable.
        var alias = NewAlias("spring");
        var target = Target("spring-sale");
        var shortUrl = await ShortenAsync(target, alias);
        Assert.Equal(new Uri(Fixture.BaseAddress, alias).ToString(), shortUrl);
        await Expect(Page.Locator($"li[data-code='{alias}']")).ToContainTextAsync(target);

        var copy = Page.GetByRole(AriaRole.Button, new() { Name = $"Copy link {shortUrl}" });
        await copy.ClickAsync();
        await Expect(copy).ToContainTextAsync("Copied");
        Assert.Equal(shortUrl, await Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        // Follow it over HTTP without following the redirect: a 302 to the target (a bot: curl).
        var response = await Page.APIRequest.GetAsync(shortUrl, new() { MaxRedirects = 0, Headers = new Dictionary<string, string> { ["User-Agent"] = "curl/8.5.0" } });
        Assert.Equal(302, response.Status);
        Assert.Equal(target, response.Headers["location"]);

        // Follow it as a person in a browser, coming from another site; the target is answered by the test's stand-in.
        await using (var visitor = await NewContextAsync(new() { Width = 1280, Height = 860 }, DesktopChrome))
        {
            var tab = await visitor.NewPageAsync();
            await tab.GotoAsync(shortUrl, new() { Referer = "http://news.example.org/item/42" });
            Assert.Equal(target, tab.Url);
            await Assertions.Expect(tab.GetByRole(AriaRole.Heading, new() { Name = "External page" })).ToBeVisibleAsync();
        }

        // Stats: both clicks arrive within seconds; the chart draws them.
        await Page.GetByRole(AriaRole.Link, new() { Name = "View stats" }).ClickAsync();
        await Expect(Heading($"/{alias}")).ToBeVisibleAsync();
        await Expect(Page).ToHaveURLAsync(new Regex($"#/links/{alias}/stats$"));
        await RefreshStatsUntilAsync("total", "2");
        await Expect(Page.Locator("[data-kpi='humans']")).ToHaveTextAsync("1");
        await Expect(Page.Locator("[data-kpi='bots']")).ToHaveTextAsync("1");

        var chart = Page.GetByRole(AriaRole.Img, new() { Name = $"Clicks per day for /{alias}, last 30 days" });
        await Expect(chart).ToBeVisibleAsync();
        await Expect(chart.Locator("rect.bar-humans")).ToHaveCountAsync(1);
        await Expect(chart.Locator("rect.bar-bots")).ToHaveCountAsync(1);
        await Expect(chart.Locator("g.chart-day")).ToHaveCountAsync(30);
        await Expect(chart.Locator("desc")).ToContainTextAsync("2 clicks");

        var referrers = Page.GetByRole(AriaRole.Table, new() { Name = "Clicks by referring site" });
        await Expect(referrers).ToContainTextAsync("news.example.org");
        await Expect(referrers).ToContainTextAsync("Direct or unknown");
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Clicks by people, by browser" })).ToContainTextAsync("Chrome");
        await ScreenshotAsync("05-stats");

        // The 7-day view redraws the chart with 7 days.
        await Page.GetByRole(AriaRole.Radio, new() { Name = "7 days" }).CheckAsync();
        await Expect(Page.GetByRole(AriaRole.Img, new() { Name = $"Clicks per day for /{alias}, last 7 days" }).Locator("g.chart-day")).ToHaveCountAsync(7);
    }
}
