using System.Net;
using System.Net.Http.Json;
using Atrium.Browser.Tests.Support;
using Atrium.Testing;
using Microsoft.Playwright;
using Xunit;

namespace Atrium.Browser.Tests;

/// <summary>The Links page: the shorten form (mouse and keyboard), its errors, the list and its actions.</summary>
public sealed class LinksTests(AtriumBrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task The_shorten_form_works_from_the_keyboard_alone()
    {
        var user = await NewUserAsync();
        await SignInAsync(user.Username, TestUsers.Password);
        await Page.ReloadAsync();
        await Expect(Heading("Links")).ToBeVisibleAsync();

        // A fresh page: the first Tab reaches the skip link, Enter skips the top bar, the next Tab is the URL field.
        await Page.Keyboard.PressAsync("Tab");
        var skip = Page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" });
        await Expect(skip).ToBeFocusedAsync();
        await Expect(skip).ToBeInViewportAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Page.Keyboard.PressAsync("Tab");
        await Expect(Field("Long URL")).ToBeFocusedAsync();
        var target = Target("keyboard");
        await Page.Keyboard.TypeAsync(target);
        await Page.Keyboard.PressAsync("Enter");

        var shortUrl = Page.GetByTestId("short-url");
        await Expect(shortUrl).ToBeVisibleAsync();
        await Expect(Page.Locator(".result-card")).ToContainTextAsync(target);
        // Focus moved to the result's Copy button: Enter copies.
        await Expect(Page.Locator(".result-card .btn-primary")).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Enter");
        Assert.Equal(await shortUrl.TextContentAsync(), await Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
    }

    [Fact]
    public async Task Form_errors_are_shown_next_to_their_field()
    {
        var user = await NewUserAsync();
        await SignInAsync(user.Username, TestUsers.Password);

        await Button("Shorten").ClickAsync();
        await Expect(Page.GetByText("Enter the URL to shorten.")).ToBeVisibleAsync();
        await Expect(Field("Long URL")).ToBeFocusedAsync();

        await Field("Long URL").FillAsync("ftp://files.example.com/a");
        await Page.GetByLabel("Custom alias").FillAsync("no spaces please");
        await Button("Shorten").ClickAsync();
        await Expect(Page.GetByText("Only http and https links can be shortened.")).ToBeVisibleAsync();
        await Expect(Page.GetByText("Use 3–64 letters, digits, hyphens or underscores.")).ToBeVisibleAsync();

        // A taken alias: the server's words, next to the alias.
        var alias = NewAlias("taken");
        await Page.GetByLabel("Custom alias").FillAsync("");
        await ShortenAsync(Target("first"), alias);
        await Field("Long URL").FillAsync(Target("second"));
        await Page.GetByLabel("Custom alias").FillAsync(alias);
        await Button("Shorten").ClickAsync();
        var aliasError = Page.Locator(".field.has-error .field-error");
        await Expect(aliasError).ToContainTextAsync(alias);
        await Expect(Page.GetByLabel("Custom alias")).ToHaveAttributeAsync("aria-invalid", "true");

        // An expiry in the past is caught before sending.
        await Page.GetByLabel("Custom alias").FillAsync("");
        await Page.GetByLabel("Expires").FillAsync("2020-01-01T10:00");
        await Button("Shorten").ClickAsync();
        await Expect(Page.GetByText("Choose a time in the future.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_expiry_is_sent_as_an_instant_and_shown_in_the_list()
    {
        var user = await NewUserAsync();
        await SignInAsync(user.Username, TestUsers.Password);
        var when = DateTime.UtcNow.AddDays(3);

        await Field("Long URL").FillAsync(Target("limited"));
        await Page.GetByLabel("Expires").FillAsync(when.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        var created = Page.WaitForResponseAsync(r => r.Url.EndsWith("/api/v1/links", StringComparison.Ordinal) && r.Request.Method == "POST");
        await Button("Shorten").ClickAsync();

        var response = await created;
        Assert.Equal(201, response.Status);
        var body = await response.JsonAsync();
        var expiresAt = body!.Value.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.Equal(new DateTimeOffset(when.Year, when.Month, when.Day, when.Hour, when.Minute, 0, TimeSpan.Zero), expiresAt); // the context's time zone is UTC
        await Expect(Page.Locator(".link-row").First).ToContainTextAsync("Expires in 3 days");
    }

    [Fact]
    public async Task The_list_shows_my_links_newest_first_and_loads_more()
    {
        var user = await NewUserAsync();
        using var client = Fixture.CreateClient().As(user);
        for (var i = 1; i <= 23; i++)
        {
            using var created = await client.PostAsJsonAsync(new Uri("/api/v1/links", UriKind.Relative), new { url = Target($"page-{i}") }, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await SignInAsync(user.Username, TestUsers.Password);
        var rows = Page.Locator(".link-row");
        await Expect(rows).ToHaveCountAsync(20);
        await Expect(rows.First).ToContainTextAsync(Target("page-23"));

        await Button("Load more").ClickAsync();
        await Expect(rows).ToHaveCountAsync(23);
        await Expect(rows.Last).ToContainTextAsync(Target("page-1"));
        await Expect(Button("Load more")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Disabling_a_link_asks_first_then_the_link_answers_410()
    {
        var user = await NewUserAsync();
        await SignInAsync(user.Username, TestUsers.Password);
        var alias = NewAlias("retire");
        var shortUrl = await ShortenAsync(Target("old"), alias);
        var row = Page.Locator($"li[data-code='{alias}']");

        // Cancel first: nothing happens.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Disable {alias}" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(row.Locator(".badge")).ToHaveTextAsync("Active");

        await row.GetByRole(AriaRole.Button, new() { Name = $"Disable {alias}" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Disable link" }).ClickAsync();

        await Expect(row.Locator(".badge")).ToHaveTextAsync("Disabled");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = $"Disable {alias}" })).ToHaveCountAsync(0);
        var follow = await Page.APIRequest.GetAsync(shortUrl, new() { MaxRedirects = 0 });
        Assert.Equal(410, follow.Status);
    }

    [Fact]
    public async Task A_page_of_links_looks_right()
    {
        var user = await NewUserAsync();
        using var client = Fixture.CreateClient().As(user);
        foreach (var (path, alias) in new[] { ("docs/getting-started", null), ("blog/2026/11/launch-week-recap", "launch"), ("careers", null) })
        {
            using var created = await client.PostAsJsonAsync(
                new Uri("/api/v1/links", UriKind.Relative),
                alias is null ? new { url = Target(path) } : (object)new { url = Target(path), alias = NewAlias(alias) },
                Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await SignInAsync(user.Username, TestUsers.Password);
        await ShortenAsync(Target("spring-sale/shoes"), NewAlias("shoes"));
        await Expect(Page.Locator(".link-row")).ToHaveCountAsync(4);
        await Page.Mouse.MoveAsync(0, 0);
        await ScreenshotAsync("03-links");

        // The same page in the dark theme (prefers-color-scheme: dark).
        await Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await ScreenshotAsync("04-links-dark");
        await Page.GetByRole(AriaRole.Link, new() { Name = $"Stats for {(await Page.Locator(".link-row").First.GetAttributeAsync("data-code"))}" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Img)).ToBeVisibleAsync();
        await ScreenshotAsync("04-stats-dark");
    }
}
