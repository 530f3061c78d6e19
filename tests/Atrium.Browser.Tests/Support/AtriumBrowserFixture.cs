using Atrium.Testing;
using Microsoft.Playwright;
using Xunit;

[assembly: AssemblyFixture(typeof(Atrium.Browser.Tests.Support.AtriumBrowserFixture))]

namespace Atrium.Browser.Tests.Support;

/// <summary>
/// One real Atrium (Kestrel on a free loopback port, its own data directory) and one headless Debian
/// Chromium for the whole assembly; every test gets its own browser context (its own storage), so
/// tests share nothing but the server.
/// </summary>
public sealed class AtriumBrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly Dictionary<string, string> Settings = new()
    {
        // Tests create links and sessions quickly from one address; the limits themselves are tested elsewhere.
        ["Links:CreatePerMinute"] = "60000",
        ["Links:CreateBurst"] = "10000",
        ["Links:ManagePerMinute"] = "60000",
        ["Links:ManageBurst"] = "10000",
        // Every test follows links from this one address, some to unknown codes (the guessing throttle is tested elsewhere).
        ["Links:GuessLimitMisses"] = "1000000",
        // Every test signs people up from this one address (the Feed and Chat tests two or three each).
        ["Accounts:RegistrationBurst"] = "100000",
        ["Accounts:RegistrationsPerHour"] = "1000000",
        ["Feed:PostsPerMinute"] = "60000",
        ["Feed:PostsBurst"] = "10000",
        ["Feed:FollowChangesPerMinute"] = "60000",
        ["Feed:FollowChangesBurst"] = "10000",
    };

    private readonly string _dataDirectory = TempDirectory.Create("atrium-browser");
    private AtriumProcess? _server;
    private StandInSite? _standIn;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Uri BaseAddress => Server.BaseAddress;

    public AtriumProcess Server => _server ?? throw new InvalidOperationException("Not started.");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Not started.");

    public string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The browser tests drive Debian's Chromium at {ChromiumPath}, which is missing: install the Debian package " +
                "`chromium` (apt-get install -y chromium, or scripts/install-deps.sh). Never run `playwright install`.");
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        _server = await AtriumProcess.StartAsync(_dataDirectory, TestContext.Current.CancellationToken, Settings);
        _standIn = await StandInSite.StartAsync(TestContext.Current.CancellationToken);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                // No request leaves the machine: the target host is the stand-in site, every other name fails to resolve.
                $"--host-resolver-rules=MAP {BrowserTest.TargetHost} 127.0.0.1:{_standIn.Port}, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            ],
        });
    }

    public HttpClient CreateClient() => Server.CreateClient();

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_standIn is not null)
        {
            await _standIn.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory.
        }
    }
}
