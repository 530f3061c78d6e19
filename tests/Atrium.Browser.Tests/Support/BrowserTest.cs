using System.Diagnostics;
using System.Text.RegularExpressions;
using Atrium.Testing;
using Microsoft.Playwright;
using Xunit;

namespace Atrium.Browser.Tests.Support;

/// <summary>
/// A test with its own browser context and page on the shared server. Any uncaught script error or
/// Content-Security-Policy violation on the page fails the test. Requests to any other origin never
/// reach the network (the test machines have none): they are answered by a stand-in page.
/// </summary>
public abstract partial class BrowserTest(AtriumBrowserFixture fixture) : IAsyncLifetime
{
    /// <summary>A person's desktop Chrome (headless Chromium calls itself HeadlessChrome, which Atrium counts as a bot).</summary>
    public const string DesktopChrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

    /// <summary>
    /// Where short links in these tests lead. Requests the page makes there are answered by
    /// <see cref="AnswerOffOriginAsync"/>; a browser following a redirect there reaches <see cref="StandInSite"/>.
    /// </summary>
    public const string TargetHost = "shop.example.com";

    private readonly List<string> _pageProblems = [];
    private IBrowserContext? _context;
    private IPage? _page;

    protected AtriumBrowserFixture Fixture => fixture;

    protected IBrowserContext Context => _context ?? throw new InvalidOperationException("Not initialized.");

    protected IPage Page => _page ?? throw new InvalidOperationException("Not initialized.");

    protected virtual ViewportSize Viewport => new() { Width = 1280, Height = 860 };

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(15_000);
        _context = await NewContextAsync(Viewport);
        _page = await _context.NewPageAsync();
        Watch(_page);
    }

    public async ValueTask DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }

        GC.SuppressFinalize(this);
        Assert.True(_pageProblems.Count == 0, "The page reported problems:\n" + string.Join("\n", _pageProblems));
    }

    /// <summary>A fresh context (own storage, so own session) with the off-origin stand-in and clipboard access.</summary>
    protected async Task<IBrowserContext> NewContextAsync(ViewportSize viewport, string? userAgent = null)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(),
            ViewportSize = viewport,
            Locale = "en-US",
            TimezoneId = "UTC",
            UserAgent = userAgent,
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        context.SetDefaultTimeout(15_000);
        var origin = fixture.BaseAddress.GetLeftPart(UriPartial.Authority);
        await context.RouteAsync(url => !url.StartsWith(origin, StringComparison.Ordinal), AnswerOffOriginAsync);
        return context;
    }

    protected void Watch(IPage page)
    {
        page.PageError += (_, error) => _pageProblems.Add($"uncaught error: {error}");
        page.Console += (_, message) =>
        {
            // A failed API call logs "Failed to load resource: … 401" by design (a wrong password); those are expected.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                _pageProblems.Add($"console error: {message.Text}");
            }
        };
    }

    private static Task AnswerOffOriginAsync(IRoute route) => route.FulfillAsync(new RouteFulfillOptions
    {
        Status = 200,
        ContentType = "text/html; charset=utf-8",
        Body = "<!doctype html><title>Landed</title><h1>External page</h1>",
    });

    protected static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    protected static IPageAssertions Expect(IPage page) => Assertions.Expect(page);

    protected ILocator Heading(string name) => Page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true });

    protected ILocator Button(string name, bool exact = true) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = exact });

    /// <summary>The account button in the top bar (named "display name (account menu)").</summary>
    protected ILocator AccountMenu() => Page.GetByRole(AriaRole.Button, new() { Name = "account menu" });

    protected ILocator Field(string label) => Page.GetByLabel(label, new() { Exact = true });

    /// <summary>A full-page screenshot in the test output (bin/…/screenshots/<paramref name="name"/>.png).</summary>
    protected async Task<string> ScreenshotAsync(string name, IPage? page = null)
    {
        var path = Path.Combine(fixture.ScreenshotDirectory, $"{name}.png");
        page ??= Page;
        // Transient toasts would cover the page; a full-page shot is taken from the top.
        await page.EvaluateAsync("() => { document.getElementById('toasts')?.replaceChildren(); window.scrollTo(0, 0); }");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        return path;
    }

    protected static string NewUsername(string prefix = "u") => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(32, prefix.Length + 13)];

    protected static string NewAlias(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>A target URL; plain http, because the stand-in site a browser lands on has no TLS certificate.</summary>
    protected static string Target(string path = "spring") => $"http://{TargetHost}/{path}?utm_source=atrium";

    /// <summary>A user made through the API (sign-up itself is tested through the page elsewhere).</summary>
    protected async Task<TestUser> NewUserAsync()
    {
        using var client = fixture.CreateClient();
        return await TestUsers.SignUpAsync(client, Ct, NewUsername());
    }

    protected async Task SignInAsync(string username, string password, IPage? page = null)
    {
        page ??= Page;
        await page.GotoAsync("/#/signin");
        await page.GetByLabel("Username", new() { Exact = true }).FillAsync(username);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Links", Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>Shortens through the form and waits for the result card; returns the short URL shown.</summary>
    protected async Task<string> ShortenAsync(string url, string? alias = null)
    {
        await Field("Long URL").FillAsync(url);
        if (alias is not null)
        {
            await Page.GetByLabel("Custom alias").FillAsync(alias);
        }

        var created = Page.WaitForResponseAsync(r => r.Url.EndsWith("/api/v1/links", StringComparison.Ordinal) && r.Request.Method == "POST");
        await Button("Shorten").ClickAsync();
        Assert.Equal(201, (await created).Status);
        var shortUrl = Page.GetByTestId("short-url");
        await Expect(shortUrl).ToBeVisibleAsync();
        return (await shortUrl.TextContentAsync())!;
    }

    /// <summary>
    /// Clicks are counted in batches about a second after the redirect: press Refresh until the figure
    /// shows <paramref name="expected"/> (each round waits for the stats response, not for a fixed time).
    /// </summary>
    protected async Task RefreshStatsUntilAsync(string kpi, string expected)
    {
        var value = Page.Locator($"[data-kpi='{kpi}']");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var text = await value.TextContentAsync();
            if (text == expected)
            {
                return;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                Assert.Fail($"The '{kpi}' figure still shows '{text}' after 30 s; expected '{expected}'.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), Ct); // the poll interval
            var stats = Page.WaitForResponseAsync(r => StatsRequest().IsMatch(r.Url));
            await Button("Refresh statistics").ClickAsync();
            await stats;
            await Expect(Button("Refresh statistics")).ToBeEnabledAsync();
        }
    }

    [GeneratedRegex(@"/api/v1/links/[^/]+/stats\?")]
    private static partial Regex StatsRequest();
}
