using Atrium.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Atrium.Server.Tests.Support;

/// <summary>
/// One in-memory Atrium with the test defaults (plus any settings a subclass adds), shared by the tests
/// of a class (each test makes its own links); its data directory is removed afterwards.
/// </summary>
public class AppFixture : IAsyncDisposable
{
    public AppFixture()
        : this(null)
    {
    }

    protected AppFixture(IDictionary<string, string?>? settings)
    {
        App = new AtriumApp(settings);
        _apiKey = new Lazy<string>(() =>
        {
            using var client = CreateAnonymousClient();
            return TestUsers.ApiKeyOfNewUserAsync(client, CancellationToken.None).GetAwaiter().GetResult();
        });
    }

    private readonly Lazy<string> _apiKey;

    public AtriumApp App { get; }

    public WebApplicationFactory<Program> Factory => App;

    /// <summary>A client signed in as the fixture's user (by API key), who owns the links it creates.</summary>
    public HttpClient CreateClient() => CreateAnonymousClient().WithApiKey(_apiKey.Value);

    /// <summary>A client with no credentials.</summary>
    public HttpClient CreateAnonymousClient() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A client signed in as a brand-new user.</summary>
    public async Task<HttpClient> CreateClientOfNewUserAsync()
    {
        var client = CreateAnonymousClient();
        return client.WithApiKey(await TestUsers.ApiKeyOfNewUserAsync(client, TestContext.Current.CancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        TestData.TryDelete(App.DataDirectory);
        GC.SuppressFinalize(this);
    }
}
