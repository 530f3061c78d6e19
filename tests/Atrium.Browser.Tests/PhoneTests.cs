using System.Net;
using System.Net.Http.Json;
using Atrium.Browser.Tests.Support;
using Atrium.Testing;
using Microsoft.Playwright;
using Xunit;

namespace Atrium.Browser.Tests;

/// <summary>A phone in portrait (390×844): every page fits the width, nothing scrolls sideways.</summary>
public sealed class PhoneTests(AtriumBrowserFixture fixture) : BrowserTest(fixture)
{
    protected override ViewportSize Viewport => new() { Width = 390, Height = 844 };

    [Fact]
    public async Task Every_page_fits_a_phone_without_horizontal_scrolling()
    {
        await Page.GotoAsync("/#/signup");
        await Expect(Heading("Create your account")).ToBeVisibleAsync();
        await AssertNoHorizontalScrollAsync("sign up");
        await ScreenshotAsync("06-phone-sign-up");

        var user = await NewUserAsync();
        using (var client = Fixture.CreateClient().As(user))
        {
            using var created = await client.PostAsJsonAsync(
                new Uri("/api/v1/links", UriKind.Relative),
                new { url = Target("a/very/long/path/that/would/overflow/a/narrow/screen/if/it/were/not/truncated/properly") },
                Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await SignInAsync(user.Username, TestUsers.Password);
        var alias = NewAlias("phone");
        await ShortenAsync(Target("mobile"), alias);
        await AssertNoHorizontalScrollAsync("links");
        await Page.Mouse.MoveAsync(0, 0);
        await ScreenshotAsync("06-phone-links");

        var shortUrl = new Uri(Fixture.BaseAddress, alias).ToString();
        var follow = await Page.APIRequest.GetAsync(shortUrl, new() { MaxRedirects = 0, Headers = new Dictionary<string, string> { ["User-Agent"] = DesktopChrome } });
        Assert.Equal(302, follow.Status);

        await Page.GotoAsync($"/#/links/{alias}/stats");
        await Expect(Heading($"/{alias}")).ToBeVisibleAsync();
        await RefreshStatsUntilAsync("total", "1");
        await Expect(Page.GetByRole(AriaRole.Img).Locator("rect.bar-humans")).ToHaveCountAsync(1);
        await AssertNoHorizontalScrollAsync("stats");
        await ScreenshotAsync("06-phone-stats");

        // The top bar still reaches everything: Links, Feed, Chat and the account menu.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Chat" }).ClickAsync();
        await Expect(Heading("Chat")).ToBeVisibleAsync();
        await AssertNoHorizontalScrollAsync("chat");
        await AccountMenu().ClickAsync();
        await Expect(Button("Sign out")).ToBeVisibleAsync();
        await AssertNoHorizontalScrollAsync("account menu");
    }

    [Fact]
    public async Task The_smallest_phone_width_still_fits()
    {
        await Page.SetViewportSizeAsync(360, 740);
        var user = await NewUserAsync();
        await SignInAsync(user.Username, TestUsers.Password);
        await ShortenAsync(Target("small"), NewAlias("tiny"));

        await AssertNoHorizontalScrollAsync("links at 360 px");
        await AccountMenu().ClickAsync();
        await Button("Sign out").ClickAsync();
        await Expect(Heading("Welcome back")).ToBeVisibleAsync();
        await AssertNoHorizontalScrollAsync("sign in at 360 px");
    }

    private async Task AssertNoHorizontalScrollAsync(string where)
    {
        var widths = await Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        var (scrollWidth, innerWidth) = (widths[0], widths[1]);
        Assert.True(scrollWidth <= innerWidth, $"{where}: the page is {scrollWidth} px wide in a {innerWidth} px window.");
    }
}
