using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atrium.Browser.Tests.Support;
using Atrium.Testing;
using Microsoft.Playwright;
using Xunit;

namespace Atrium.Browser.Tests;

/// <summary>
/// Hostile markup typed into every field a person can fill — display names (sign-up), posts, chat messages, group
/// names, link targets and aliases, and the short code in the address bar — comes back as literal text on every page
/// that shows it (feed, profile, chat list, conversation, link list, stats, the server's own link pages), and none of
/// it runs: <c>window.__xss</c> stays undefined, no dialog opens, no element is made from it.
/// </summary>
public sealed class XssTests(AtriumBrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Markup_in_display_names_posts_and_chat_is_shown_as_text_everywhere()
    {
        var probe = new XssProbe();
        probe.Watch(Page);

        // Mallory signs up through the page with markup as her display name: the top bar shows it as text.
        var mallory = NewUsername("mallory");
        await Page.GotoAsync("/#/signup");
        await Field("Username").FillAsync(mallory);
        await Page.GetByLabel("Display name").FillAsync(XssProbe.Img);
        await Field("Password").FillAsync(TestUsers.Password);
        await Button("Create account").ClickAsync();
        await Expect(Heading("Links")).ToBeVisibleAsync();
        await Expect(AccountMenu()).ToHaveAccessibleNameAsync($"{XssProbe.Img} (account menu)");
        await probe.AssertInertAsync(Page, "links page after sign-up");

        // Her post holds every payload; Alice (whose display name is markup too) follows her.
        using var api = Fixture.CreateClient();
        var asMallory = await SignInAsync(api, mallory);
        var alice = await FeedApi.SignUpAsync(api, NewUsername("alice"), XssProbe.Svg, Ct);
        using var asAlice = Fixture.CreateClient().As(alice);
        await FeedApi.FollowAsync(asAlice, mallory, Ct);
        using (var asMalloryClient = Fixture.CreateClient().As(asMallory))
        {
            await FeedApi.PostAsync(asMalloryClient, XssProbe.All, Ct);
        }

        // Mallory's own feed and profile.
        await Page.GotoAsync("/#/feed");
        await ExpectPostAsync(Page);
        await probe.AssertInertAsync(Page, "Mallory's feed");
        await Page.GotoAsync($"/#/feed/@{mallory}");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = XssProbe.Img, Exact = true })).ToBeVisibleAsync();
        await ExpectPostAsync(Page);
        await probe.AssertInertAsync(Page, "Mallory's profile");
        await ScreenshotAsync("xss-01-profile");

        // Alice, in her own browser context: Mallory's profile and Alice's home timeline.
        await using var aliceContext = await NewContextAsync(Viewport);
        var alicePage = await aliceContext.NewPageAsync();
        Watch(alicePage);
        probe.Watch(alicePage);
        await SignInAsync(alice.Username, TestUsers.Password, alicePage);
        await Assertions.Expect(alicePage.GetByRole(AriaRole.Button, new() { Name = "account menu" }))
            .ToHaveAccessibleNameAsync($"{XssProbe.Svg} (account menu)");
        await alicePage.GotoAsync($"/#/feed/@{mallory}");
        await Assertions.Expect(alicePage.GetByRole(AriaRole.Heading, new() { Name = XssProbe.Img, Exact = true })).ToBeVisibleAsync();
        await probe.AssertInertAsync(alicePage, "Mallory's profile seen by Alice");
        await FeedApi.WaitForTimelineAsync(asAlice, 1, Ct);
        await alicePage.GotoAsync("/#/feed");
        await ExpectPostAsync(alicePage);
        await probe.AssertInertAsync(alicePage, "Alice's feed");
        await ScreenshotAsync("xss-02-feed", alicePage);

        // Chat: a group named with markup, messages of markup, and a 1:1 titled by Mallory's display name.
        using (var asMalloryClient = Fixture.CreateClient().As(asMallory))
        {
            var group = await CreateConversationAsync(asMalloryClient, alice.Username, XssProbe.Script);
            await SendAsync(asMalloryClient, group, "xss-1", XssProbe.Img);
            await SendAsync(asMalloryClient, group, "xss-2", XssProbe.JavascriptUrl);
            await SendAsync(asMalloryClient, group, "xss-3", XssProbe.Alert);
            var direct = await CreateConversationAsync(asMalloryClient, alice.Username, title: null);
            await SendAsync(asMalloryClient, direct, "xss-4", XssProbe.Svg);
        }

        await alicePage.GotoAsync("/#/chat");
        var groupRow = alicePage.Locator(".chat-item", new() { Has = alicePage.Locator(".chat-item-title").GetByText(XssProbe.Script, new() { Exact = true }) });
        var directRow = alicePage.Locator(".chat-item", new() { Has = alicePage.Locator(".chat-item-title").GetByText(XssProbe.Img, new() { Exact = true }) });
        await Assertions.Expect(groupRow).ToBeVisibleAsync();
        await Assertions.Expect(groupRow).ToContainTextAsync(XssProbe.Alert); // the last message's preview
        await Assertions.Expect(directRow).ToContainTextAsync(XssProbe.Svg);
        await probe.AssertInertAsync(alicePage, "Alice's chat list");
        await ScreenshotAsync("xss-03-chat-list", alicePage);

        await groupRow.Locator(".chat-item-link").ClickAsync();
        await Assertions.Expect(alicePage.Locator("#conversation-title")).ToHaveTextAsync(XssProbe.Script);
        foreach (var text in new[] { XssProbe.Img, XssProbe.JavascriptUrl, XssProbe.Alert })
        {
            await Assertions.Expect(alicePage.GetByTestId("message-text").GetByText(text, new() { Exact = true })).ToBeVisibleAsync();
        }

        await Assertions.Expect(alicePage.Locator(".message-list")).ToContainTextAsync(XssProbe.Img); // the sender's name
        await probe.AssertInertAsync(alicePage, "the group conversation");
        await ScreenshotAsync("xss-04-conversation", alicePage);

        await alicePage.GotoAsync("/#/chat");
        await directRow.Locator(".chat-item-link").ClickAsync();
        await Assertions.Expect(alicePage.Locator("#conversation-title")).ToHaveTextAsync(XssProbe.Img);
        await Assertions.Expect(alicePage.GetByTestId("message-text").GetByText(XssProbe.Svg, new() { Exact = true })).ToBeVisibleAsync();
        await probe.AssertInertAsync(alicePage, "the 1:1 conversation");
    }

    [Fact]
    public async Task Markup_in_link_targets_aliases_and_short_codes_is_shown_as_text()
    {
        var probe = new XssProbe();
        probe.Watch(Page);
        var user = await NewUserAsync();
        await SignInAsync(user.Username, TestUsers.Password);

        // A target whose query is markup (no spaces: a URL has none) is a valid http URL: stored and shown as text.
        var target = $"http://{TargetHost}/sale?q=\"><svg/onload=window.__xss=1>&r=<img/src=x/onerror=alert(1)>";
        var shortUrl = await ShortenAsync(target);
        var code = shortUrl[(shortUrl.LastIndexOf('/') + 1)..];
        await Expect(Page.Locator(".result-card")).ToContainTextAsync(target);
        await Expect(Page.Locator($"li[data-code='{code}'] .link-target")).ToContainTextAsync(target);
        await probe.AssertInertAsync(Page, "the link list");

        // Script and data targets and a markup alias are refused, and the refusals are text.
        await Field("Long URL").FillAsync(XssProbe.JavascriptUrl);
        await Page.GetByLabel("Custom alias").FillAsync(XssProbe.Script);
        await Button("Shorten").ClickAsync();
        await Expect(Page.GetByText("Only http and https links can be shortened.")).ToBeVisibleAsync();
        await Expect(Page.GetByText("Use 3–64 letters, digits, hyphens or underscores.")).ToBeVisibleAsync();
        await Expect(Page.GetByLabel("Custom alias")).ToHaveValueAsync(XssProbe.Script);
        await Field("Long URL").FillAsync("data:text/html,<script>window.__xss=1</script>");
        await Page.GetByLabel("Custom alias").FillAsync("");
        await Button("Shorten").ClickAsync();
        await Expect(Page.GetByText("Only http and https links can be shortened.")).ToBeVisibleAsync();
        await probe.AssertInertAsync(Page, "the shorten form with refusals");
        await ScreenshotAsync("xss-05-links");

        // The server refuses what the form would have: its words come back as text too.
        using (var client = Fixture.CreateClient().As(user))
        {
            foreach (var (url, alias) in new[] { (XssProbe.JavascriptUrl, (string?)null), (Target("x"), XssProbe.Script) })
            {
                using var refused = await client.PostAsJsonAsync(new Uri("/api/v1/links", UriKind.Relative), new { url, alias }, Ct);
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            }
        }

        // The stats page: the target is text, and its link goes exactly there.
        await Page.GotoAsync($"/#/links/{code}/stats");
        await Expect(Heading($"/{code}")).ToBeVisibleAsync();
        var targetLink = Page.Locator(".stats-target a");
        await Expect(targetLink).ToHaveTextAsync(target);
        await Expect(targetLink).ToHaveAttributeAsync("href", target);
        await probe.AssertInertAsync(Page, "the stats page");
        await ScreenshotAsync("xss-06-stats");

        // The server's own pages: the preview shows the target as text; an unknown code of markup is echoed as text.
        await Page.GotoAsync($"/{code}+");
        await Expect(Page.Locator(".target a")).ToHaveTextAsync(target);
        await Expect(Page.Locator(".target a")).ToHaveAttributeAsync("href", target);
        await probe.AssertInertAsync(Page, "the preview page");
        var markupCode = Uri.EscapeDataString(XssProbe.Alert);
        var notFound = await Page.GotoAsync($"/{markupCode}");
        Assert.Equal(404, notFound!.Status);
        await Expect(Page.Locator("code")).ToHaveTextAsync($"/{XssProbe.Alert}");
        await probe.AssertInertAsync(Page, "the not-found page");
        await ScreenshotAsync("xss-07-not-found");
        await Page.GotoAsync($"/{Uri.EscapeDataString(XssProbe.Svg)}+");
        await Expect(Page.Locator("code")).ToHaveTextAsync($"/{XssProbe.Svg}");
        await probe.AssertInertAsync(Page, "the preview of an unknown code");
    }

    private static async Task ExpectPostAsync(IPage page)
    {
        var post = page.Locator(".post-item").First;
        await Assertions.Expect(post.GetByTestId("post-text")).ToBeVisibleAsync();
        Assert.Equal(XssProbe.All, await post.GetByTestId("post-text").InnerTextAsync());
        await Assertions.Expect(post.Locator(".post-name")).ToHaveTextAsync(XssProbe.Img);
    }

    /// <summary>Signs <paramref name="username"/> (made through the page) in over the API, for setting the scene.</summary>
    private static async Task<TestUser> SignInAsync(HttpClient client, string username)
    {
        using var session = await client.PostAsJsonAsync(
            new Uri("/api/v1/sessions", UriKind.Relative), new { username, password = TestUsers.Password }, Ct);
        Assert.True(session.IsSuccessStatusCode, $"sign in: {(int)session.StatusCode}");
        var body = await session.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return new TestUser(username, body.GetProperty("accessToken").GetString()!, body.GetProperty("refreshToken").GetString()!);
    }

    private static async Task<string> CreateConversationAsync(HttpClient client, string member, string? title)
    {
        using var created = await client.PostAsJsonAsync(new Uri("/api/v1/conversations", UriKind.Relative), new { members = new[] { member }, title }, Ct);
        Assert.True(created.IsSuccessStatusCode, $"create conversation: {(int)created.StatusCode}");
        return (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
    }

    private static async Task SendAsync(HttpClient client, string conversationId, string clientMessageId, string text)
    {
        using var sent = await client.PostAsJsonAsync(
            new Uri($"/api/v1/conversations/{conversationId}/messages", UriKind.Relative), new { clientMessageId, text }, Ct);
        Assert.True(sent.IsSuccessStatusCode, $"send {clientMessageId}: {(int)sent.StatusCode}");
    }
}
