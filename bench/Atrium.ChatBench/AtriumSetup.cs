using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Atrium.ChatBench;

/// <summary>
/// Makes the users (signed up and signed in through the public API) and the conversations of every scenario on the
/// Atrium under test: pairs of neighbours for 1:1 rooms, consecutive blocks of clients for groups.
/// </summary>
internal sealed class AtriumSetup(Uri server)
{
    private const string Password = "bench horse battery staple";
    private readonly Dictionary<int, string[]> _conversationsByRoomSize = [];

    public string[] Tokens { get; private set; } = [];

    public string[] Usernames { get; private set; } = [];

    public string Conversation(Scenario scenario, int client) => _conversationsByRoomSize[scenario.RoomSize][scenario.RoomOf(client)];

    public async Task UsersAsync(int count, CancellationToken ct)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        Usernames = [.. Enumerable.Range(0, count).Select(i => $"cb{run}{i:D5}")];
        Tokens = new string[count];
        using var http = new HttpClient { BaseAddress = server };
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (i, token) =>
        {
            using (var created = await http.PostAsJsonAsync("/api/v1/accounts", new { username = Usernames[i], password = Password }, token))
            {
                await EnsureAsync(created, "sign up", token);
            }

            using var session = await http.PostAsJsonAsync("/api/v1/sessions", new { username = Usernames[i], password = Password }, token);
            await EnsureAsync(session, "sign in", token);
            Tokens[i] = (await session.Content.ReadFromJsonAsync<JsonElement>(token)).GetProperty("accessToken").GetString()!;
        });
    }

    /// <summary>One conversation per room of <paramref name="scenario"/>, created by its first member.</summary>
    public async Task ConversationsAsync(Scenario scenario, CancellationToken ct)
    {
        var rooms = Tokens.Length / scenario.RoomSize;
        var ids = new string[rooms];
        await Parallel.ForAsync(0, rooms, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (room, token) =>
        {
            var first = room * scenario.RoomSize;
            using var http = new HttpClient { BaseAddress = server };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens[first]);
            var members = Usernames[(first + 1)..(first + scenario.RoomSize)];
            object body = scenario.RoomSize == 2 ? new { members } : new { members, title = $"bench {scenario.Name} {room}" };
            using var response = await http.PostAsJsonAsync("/api/v1/conversations", body, token);
            await EnsureAsync(response, "create a conversation", token);
            ids[room] = (await response.Content.ReadFromJsonAsync<JsonElement>(token)).GetProperty("id").GetString()!;
        });
        _conversationsByRoomSize[scenario.RoomSize] = ids;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Could not {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
    }
}
