using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atrium.Server.Tests.Support;
using Atrium.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>
/// The cache-aside race, made deterministic by holding the fill between its read and its store
/// (<see cref="CacheGate"/>): a read of the old value, then a write that commits and invalidates, then the store of
/// the old value. The stored value must not outlive the write's invalidation. Runs in both shapes (in the
/// distributed one through Redis, the L2 and the generations there).
/// </summary>
public sealed class CacheFillRaceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_redirect_fill_that_read_before_a_disable_does_not_keep_the_link_cached()
    {
        await using var app = await GatedApp.StartAsync();
        var link = await app.Owner.CreateLinkAsync(TestData.Url());

        var hold = app.Gate.Arm($"links:link:{link.Code}", CachePoint.AfterRead);
        var follow = app.Owner.GetPathAsync($"/{link.Code}"); // misses, reads the live link, waits before storing it
        await hold.Reached.WaitAsync(Ct);
        using (var disable = await app.Owner.DeletePathAsync($"/api/v1/links/{link.Code}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, disable.StatusCode);
        }

        hold.Release();
        using (var raced = await follow)
        {
            Assert.Equal(HttpStatusCode.Found, raced.StatusCode); // it read before the disable: fine, once
        }

        using var after = await app.Owner.GetPathAsync($"/{link.Code}");
        Assert.Equal(HttpStatusCode.Gone, after.StatusCode);
    }

    [Fact]
    public async Task A_post_fill_that_read_before_a_deletion_does_not_keep_the_post_cached()
    {
        await using var app = await GatedApp.StartAsync();
        using var reader = await app.NewUserClientAsync();
        var id = await app.PostAsync("soon deleted");

        var hold = app.Gate.Arm($"feed:post:{id}", CachePoint.BeforeStore);
        var read = reader.GetPathAsync($"/api/v1/posts/{id}"); // misses, reads the live post, waits before storing it
        await hold.Reached.WaitAsync(Ct);
        using (var delete = await app.Owner.DeletePathAsync($"/api/v1/posts/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        hold.Release();
        using (var raced = await read)
        {
            Assert.Equal(HttpStatusCode.OK, raced.StatusCode); // it read before the deletion: fine, once
        }

        using var after = await reader.GetPathAsync($"/api/v1/posts/{id}");
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task A_cached_not_found_is_stored_again_only_by_the_lookup_that_read_it()
    {
        await using var app = await GatedApp.StartAsync();
        var alias = TestData.Alias("later");
        using (var unknown = await app.Owner.GetPathAsync($"/{alias}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode); // "no such link" is cached now
        }

        // A lookup answered by the cached "no such link" is held before it returns; meanwhile the alias is created
        // (which invalidates it) and another code misses.
        var hold = app.Gate.Arm($"links:link:{alias}", CachePoint.BeforeReturn);
        var cachedMiss = app.Owner.GetPathAsync($"/{alias}");
        await hold.Reached.WaitAsync(Ct);
        var link = await app.Owner.CreateLinkAsync(TestData.Url(), alias);
        using (var other = await app.Owner.GetPathAsync($"/{TestData.Alias("other")}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }

        hold.Release();
        using (var raced = await cachedMiss)
        {
            Assert.Equal(HttpStatusCode.NotFound, raced.StatusCode);
        }

        using var after = await app.Owner.GetPathAsync($"/{alias}");
        Assert.Equal(HttpStatusCode.Found, after.StatusCode);
        Assert.Equal(link.Url, after.Location());
    }

    /// <summary>One Atrium with its HybridCache gated, and a signed-in owner.</summary>
    private sealed class GatedApp : IAsyncDisposable
    {
        private readonly AtriumApp _app;
        private readonly WebApplicationFactory<Program> _factory;

        private GatedApp(AtriumApp app, WebApplicationFactory<Program> factory, CacheGate gate)
        {
            _app = app;
            _factory = factory;
            Gate = gate;
        }

        public CacheGate Gate { get; }

        public HttpClient Owner { get; private set; } = null!;

        public static async Task<GatedApp> StartAsync()
        {
            var gate = new CacheGate();
            var app = new AtriumApp();
            var factory = app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => GatedHybridCache.Install(services, gate)));
            var gated = new GatedApp(app, factory, gate);
            gated.Owner = await gated.NewUserClientAsync();
            return gated;
        }

        public async Task<HttpClient> NewUserClientAsync()
        {
            var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            return client.WithApiKey(await TestUsers.ApiKeyOfNewUserAsync(client, Ct));
        }

        /// <summary>Posts <paramref name="text"/> as the owner; the new post's id.</summary>
        public async Task<string> PostAsync(string text)
        {
            using var response = await Owner.PostAsJsonAsync(Api.Relative("/api/v1/posts"), new { text }, Ct);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            return body.RootElement.GetProperty("post").GetProperty("id").GetString()!;
        }

        public async ValueTask DisposeAsync()
        {
            Owner.Dispose();
            await _factory.DisposeAsync();
            await _app.DisposeAsync();
            TestData.TryDelete(_app.DataDirectory);
        }
    }
}
