using System.Net.WebSockets;
using Atrium.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Atrium.Chat.Tests.Support;

/// <summary>
/// One in-memory Atrium (the real Program, in the shape the run selects) shared by the tests of a class; each test
/// makes its own users and conversations. Send limits are raised so that only the rate-limit test meets them.
/// </summary>
public class ChatFixture : IAsyncDisposable
{
    public ChatFixture()
        : this(null)
    {
    }

    protected ChatFixture(IDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Chat:UserSendsPerSecond"] = "10000",
            ["Chat:UserSendBurst"] = "10000",
            ["Chat:ConversationSendsPerSecond"] = "10000",
            ["Chat:ConversationSendBurst"] = "10000",
            ["Chat:AckFlushInterval"] = "00:00:00.050",
            ["Chat:PresenceThrottle"] = "00:00:00.100",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        App = new AtriumApp(all);
    }

    public AtriumApp App { get; }

    public HttpClient CreateClient() => App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A new user and a client signed in as them.</summary>
    public async Task<ChatUser> NewUserAsync()
    {
        var client = CreateClient();
        var user = await TestUsers.SignUpAsync(client, TestContext.Current.CancellationToken);
        return new ChatUser(user, client.As(user));
    }

    /// <summary>Opens /ws on the in-memory server and says hello as <paramref name="user"/>.</summary>
    public async Task<ChatSocket> ConnectAsync(ChatUser user, long? since = null, string? device = null)
    {
        var socket = await OpenAsync();
        return await ChatSocket.HelloAsync(socket, user.User.AccessToken, since, device);
    }

    /// <summary>A raw, unauthenticated socket on /ws.</summary>
    public async Task<WebSocket> OpenAsync()
    {
        var client = App.Server.CreateWebSocketClient();
        return await client.ConnectAsync(new Uri(App.Server.BaseAddress, "ws"), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
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
