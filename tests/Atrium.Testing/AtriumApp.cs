using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Atrium.Testing;

/// <summary>
/// An in-memory Atrium (the real Program, composed exactly as in production) on its own throwaway data
/// directory, and in the distributed shape (<see cref="TestShape"/>) on its own database of the shared servers. Settings default to what tests want (generous rate limits, fast messaging, an admin key)
/// and can be overridden per test.
/// </summary>
public sealed class AtriumApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key";
    private readonly Dictionary<string, string?> _settings;

    public AtriumApp(IDictionary<string, string?>? settings = null, string? dataDirectory = null)
    {
        DataDirectory = dataDirectory ?? TempDirectory.Create("atrium-app");
        _settings = new Dictionary<string, string?>
        {
            ["Atrium:DataDirectory"] = DataDirectory,
            ["Atrium:AdminKey"] = AdminKey,
            ["Atrium:Messaging:PollInterval"] = "00:00:00.050",
            ["Atrium:Messaging:RetryBaseDelay"] = "00:00:00.020",
            ["Atrium:Messaging:RetryMaxDelay"] = "00:00:00.200",
            ["Links:CreatePerMinute"] = "60000",
            ["Links:CreateBurst"] = "10000",
            ["Links:ManagePerMinute"] = "60000",
            ["Links:ManageBurst"] = "10000",
            ["Links:AnonymousCreatePerMinute"] = "60000",
            ["Links:AnonymousCreateBurst"] = "10000",
            ["Links:ClickFlushInterval"] = "00:00:00.050",
            ["Links:GuessLimitMisses"] = "1000000",
            ["Accounts:PasswordIterations"] = "1000",
            ["Accounts:RegistrationBurst"] = "100000",
            ["Accounts:RegistrationsPerHour"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",

            // The in-memory test server cannot enforce body size limits and says so on every request with a body.
            ["Logging:LogLevel:Microsoft.AspNetCore.Routing.EndpointRoutingMiddleware"] = "Error",
        };
        // The distributed shape (ATRIUM_TEST_SHAPE=distributed): the shared real servers, a fresh database for
        // this app; a test that brings its own connection string keeps it.
        if (TestShape.IsDistributed && settings?.ContainsKey("ConnectionStrings:Postgres") != true)
        {
            foreach (var (key, value) in DistributedServers.SettingsFor(DataDirectory))
            {
                _settings[key] = value;
            }
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");

        // UseSetting reaches the configuration before Program composes the modules (for anything read
        // at composition time); the in-memory source then overrides appsettings.json for everything else.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
    }
}
