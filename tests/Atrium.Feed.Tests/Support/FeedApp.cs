using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Atrium.Feed;
using Atrium.Platform.Ids;
using Atrium.Feed.Data;
using Atrium.Platform.Users;
using Atrium.Testing;
using Atrium.Testing.Servers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Atrium.Feed.Tests.Support;

/// <summary>
/// An in-memory Atrium for feed tests, shared by the tests of a class (each test makes its own users). In the
/// distributed shape it runs on the shared PostgreSQL and on a Redis of its own (so home timelines are Redis
/// sorted sets there, a table in the embedded shape). Feed rate limits are lifted; subclasses add settings.
/// </summary>
public class FeedApp : IAsyncLifetime
{
    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Feed:PostsPerMinute"] = "600000",
        ["Feed:PostsBurst"] = "100000",
        ["Feed:FollowChangesPerMinute"] = "600000",
        ["Feed:FollowChangesBurst"] = "100000",
        ["Feed:ReadsPerMinute"] = "6000000",
        ["Feed:ReadsBurst"] = "1000000",
        ["Feed:CelebrityThreshold"] = "100000",

        // Tests assert exact pages: a celebrity merge slowed by a busy machine must not turn one partial.
        ["Feed:CelebrityMergeBudget"] = "00:00:30",
    };

    private AtriumApp? _app;
    private WebApplicationFactory<Program>? _factory;

    public FeedApp()
    {
    }

    protected FeedApp(IDictionary<string, string?> settings, FakeTimeProvider? clock = null)
    {
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }

        Clock = clock;
    }

    /// <summary>The app's clock when it runs on fake time (users then sign in by API key, which does not expire).</summary>
    public FakeTimeProvider? Clock { get; }

    public RedisServer? Redis { get; private set; }

    public AtriumApp App => _app ?? throw new InvalidOperationException("The app has not started.");

    public IServiceProvider Services => Factory.Services;

    private WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("The app has not started.");

    /// <summary>The app's home-timeline store (table or Redis), for counting what fan-out wrote.</summary>
    internal ITimelineStore Timelines => Services.GetRequiredService<ITimelineStore>();

    internal FeedMetrics Metrics => Services.GetRequiredService<FeedMetrics>();

    public async ValueTask InitializeAsync()
    {
        if (!_settings.ContainsKey("ConnectionStrings:Redis") && await StartRedisAsync(TestContext.Current.CancellationToken) is { } redis)
        {
            _settings["ConnectionStrings:Redis"] = redis;
        }

        _app = new AtriumApp(_settings);
        _factory = _app.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
        {
            if (Clock is not null)
            {
                services.AddSingleton<TimeProvider>(Clock);
            }

            ConfigureTestServices(services);
        }));
        _ = _factory.Services; // start it now, not in the first test's time
    }

    /// <summary>The app's own Redis, as a connection string (none: no Redis). Default: a server of its own in the distributed shape.</summary>
    protected virtual async Task<string?> StartRedisAsync(CancellationToken cancellationToken)
    {
        if (!TestShape.IsDistributed)
        {
            return null;
        }

        Redis = await RedisServer.StartNewAsync(cancellationToken);
        return Redis.ConnectionString;
    }

    /// <summary>Stops what <see cref="StartRedisAsync"/> started, after the app.</summary>
    protected virtual async ValueTask StopRedisAsync()
    {
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }

    /// <summary>Replaces services of the app for a subclass's tests (e.g. a fault-injecting decorator).</summary>
    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    public HttpClient CreateClient() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A new user and a client signed in as them (by access token; by API key on fake time).</summary>
    public async Task<FeedUser> NewUserAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = CreateClient();
        var user = await TestUsers.SignUpAsync(client, ct);
        if (Clock is null)
        {
            return new FeedUser(user.Username, client.As(user));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/api-keys", UriKind.Relative))
        {
            Content = JsonContent.Create(new { name = "feed tests" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        using var response = await client.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var key = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
        return new FeedUser(user.Username, client.WithApiKey(key));
    }

    /// <summary>Moves the fake clock forward, then waits until the node-id lease is confirmed at the new time.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        var clock = Clock ?? throw new InvalidOperationException("This app runs on the real clock.");
        clock.Advance(by);
        var lease = Services.GetRequiredService<NodeIdLease>();
        await Eventually.ReachesAsync(
            () =>
            {
                try
                {
                    return Task.FromResult(lease.NodeId >= 0);
                }
                catch (InvalidOperationException)
                {
                    return Task.FromResult(false);
                }
            },
            ready => ready,
            "the node-id lease to be renewed at the new time");
    }

    /// <summary>The user's id, from the user directory.</summary>
    public async Task<long> UserIdAsync(FeedUser user) =>
        (await Services.GetRequiredService<IUserDirectory>().FindByUsernameAsync(user.Username, TestContext.Current.CancellationToken))!.Id;

    /// <summary>What the timeline store holds for the user (newest first), or null when it holds no timeline for them (or is down).</summary>
    public async Task<IReadOnlyList<long>?> StoredAsync(FeedUser user)
    {
        var slice = await Timelines.ReadAsync(await UserIdAsync(user), long.MaxValue, 0, 100_000, TestContext.Current.CancellationToken);
        return slice.State == TimelineState.Ready ? slice.PostIds : null;
    }

    /// <summary>Pushes a post into the user's timeline as the fan-out writer does, in a transaction of its own: a push that comes late.</summary>
    public async Task PushAsync(FeedUser user, PostBody post, FeedUser author)
    {
        var ct = TestContext.Current.CancellationToken;
        var userId = await UserIdAsync(user);
        var authorId = await UserIdAsync(author);
        await using var connection = await Services.GetRequiredService<Atrium.Platform.Data.IDatabase>().OpenPrimaryAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await Timelines.PushAsync(transaction, post.NumericId, authorId, [userId], ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>Waits until the user's stored timeline satisfies <paramref name="done"/>.</summary>
    public Task<IReadOnlyList<long>?> StoredEventuallyAsync(FeedUser user, Func<IReadOnlyList<long>, bool> done, string what) =>
        Eventually.ReachesAsync(() => StoredAsync(user), ids => ids is not null && done(ids), what);

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null && !ReferenceEquals(_factory, _app))
        {
            await _factory.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
            TryDelete(_app.DataDirectory);
        }

        await StopRedisAsync();
        GC.SuppressFinalize(this);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temp folder is cleaned up eventually anyway.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
