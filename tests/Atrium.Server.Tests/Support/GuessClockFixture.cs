using Atrium.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Atrium.Server.Tests.Support;

/// <summary>
/// The <see cref="GuessLimitFixture"/> settings on a <see cref="FakeTimeProvider"/>, so a test can let the window pass.
/// Moving the clock that far also outruns the node-id lease until its renewal (ids wait for it), so this app is for
/// tests that make their data before moving the clock.
/// </summary>
public sealed class GuessClockFixture : IAsyncDisposable
{
    private readonly AtriumApp _app = new(GuessLimitFixture.Settings());
    private readonly WebApplicationFactory<Program> _factory;
    private string? _apiKey;

    public GuessClockFixture()
    {
        _factory = _app.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock)));
    }

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>A client signed in by API key (which, unlike an access token, does not expire as the clock moves).</summary>
    public HttpClient CreateClient()
    {
        var client = CreateAnonymousClient();
        _apiKey ??= TestUsers.ApiKeyOfNewUserAsync(client, CancellationToken.None).GetAwaiter().GetResult();
        return client.WithApiKey(_apiKey);
    }

    public HttpClient CreateAnonymousClient() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _app.DisposeAsync();
        TestData.TryDelete(_app.DataDirectory);
    }
}
