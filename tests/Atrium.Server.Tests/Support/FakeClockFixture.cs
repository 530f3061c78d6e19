using Atrium.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Atrium.Server.Tests.Support;

/// <summary>
/// An in-memory Atrium whose clock is a <see cref="FakeTimeProvider"/> starting at the real now (Snowflake
/// ids and node leases read it too). Tests only move it forward and make their links relative to it.
/// </summary>
public sealed class FakeClockFixture : IAsyncDisposable
{
    private readonly AtriumApp _app = new();
    private readonly WebApplicationFactory<Program> _factory;

    public FakeClockFixture()
    {
        _factory = _app.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock)));
    }

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>A client signed in by API key (which, unlike an access token, does not expire as the clock moves).</summary>
    public HttpClient CreateClient()
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        _apiKey ??= TestUsers.ApiKeyOfNewUserAsync(client, CancellationToken.None).GetAwaiter().GetResult();
        return client.WithApiKey(_apiKey);
    }

    private string? _apiKey;

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _app.DisposeAsync();
        TestData.TryDelete(_app.DataDirectory);
    }
}
