using System.Net.WebSockets;
using Atrium.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Atrium.Security.Tests.Support;

/// <summary>
/// One in-memory Atrium (the real Program, in the shape the run selects) shared by the tests of a class, with two
/// signed-up users: <see cref="Owner"/>, who owns a link, a post and a conversation (<see cref="World"/>), and
/// <see cref="Stranger"/>, who owns nothing of theirs. Send limits are raised so only the flood tests meet them.
/// </summary>
public class SecurityFixture : IAsyncLifetime
{
    public SecurityFixture()
        : this(null)
    {
    }

    /// <param name="settings">Settings over the test defaults.</param>
    /// <param name="clock">A clock for the app (a <c>FakeTimeProvider</c> the test moves), instead of the system's.</param>
    protected SecurityFixture(IDictionary<string, string?>? settings, TimeProvider? clock = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Chat:UserSendsPerSecond"] = "10000",
            ["Chat:UserSendBurst"] = "10000",
            ["Chat:ConversationSendsPerSecond"] = "10000",
            ["Chat:ConversationSendBurst"] = "10000",
            ["Chat:AckFlushInterval"] = "00:00:00.050",
            ["Feed:PostsPerMinute"] = "600000",
            ["Feed:PostsBurst"] = "100000",
            ["Feed:FollowChangesPerMinute"] = "600000",
            ["Feed:FollowChangesBurst"] = "100000",
            ["Feed:ReadsPerMinute"] = "600000",
            ["Feed:ReadsBurst"] = "100000",
            ["Accounts:ProfileReadsPerMinute"] = "600000",
            ["Accounts:ProfileReadsBurst"] = "100000",
            ["Accounts:LoginFailuresPerUsername"] = "100000",
            ["Accounts:LoginFailuresPerClient"] = "100000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        App = new AtriumApp(all);
        Factory = clock is null
            ? App
            : App.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton(clock)));
    }

    public AtriumApp App { get; }

    /// <summary>The app as tests reach it (<see cref="App"/>, or the app with the given clock).</summary>
    public WebApplicationFactory<Program> Factory { get; }

    public TestUser Owner { get; private set; } = null!;

    public TestUser Stranger { get; private set; } = null!;

    /// <summary>The objects <see cref="Owner"/> made.</summary>
    public OwnedObjects World { get; private set; } = null!;

    public HttpClient CreateAnonymousClient() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public HttpClient CreateClient(TestUser user) => CreateAnonymousClient().As(user);

    /// <summary>A raw, unauthenticated socket on /ws of the in-memory server.</summary>
    public async Task<WebSocket> OpenSocketAsync(CancellationToken cancellationToken)
    {
        var client = Factory.Server.CreateWebSocketClient();
        return await client.ConnectAsync(new Uri(Factory.Server.BaseAddress, "ws"), cancellationToken);
    }

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = CreateAnonymousClient();
        Owner = await TestUsers.SignUpAsync(anonymous, ct);
        Stranger = await TestUsers.SignUpAsync(anonymous, ct);
        using var owner = CreateClient(Owner);
        World = await OwnedObjects.MakeAsync(owner, anonymous, ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (Factory != App)
        {
            await Factory.DisposeAsync();
        }

        await App.DisposeAsync();
        try
        {
            Directory.Delete(App.DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held: the temp directory is cleaned by the OS
        }

        GC.SuppressFinalize(this);
    }
}
