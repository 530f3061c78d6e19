using Atrium.Testing;
using Xunit;

namespace Atrium.Server.Tests.Support;

/// <summary>
/// The real server (Kestrel) as a child process on its own data, for behaviour the in-memory test server
/// does not reproduce (request body limits, response header encoding).
/// </summary>
public sealed class ProcessFixture : IAsyncLifetime
{
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["Links:CreatePerMinute"] = "60000",
        ["Links:CreateBurst"] = "10000",
        ["Links:ManagePerMinute"] = "60000",
        ["Links:ManageBurst"] = "10000",
        ["Links:AnonymousCreatePerMinute"] = "60000",
        ["Links:AnonymousCreateBurst"] = "10000",
        ["Accounts:PasswordIterations"] = "1000",
        ["Accounts:RegistrationBurst"] = "100000",
        ["Accounts:RegistrationsPerHour"] = "1000000",
        ["Atrium:AdminKey"] = AtriumApp.AdminKey,
    };

    private readonly string _dataDirectory = TempDirectory.Create("atrium-process");
    private AtriumProcess? _server;

    public HttpClient CreateClient() => (_server ?? throw new InvalidOperationException("Not started.")).CreateClient();

    public async ValueTask InitializeAsync() =>
        _server = await AtriumProcess.StartAsync(_dataDirectory, TestContext.Current.CancellationToken, new Dictionary<string, string>(Settings));

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        TestData.TryDelete(_dataDirectory);
    }
}
