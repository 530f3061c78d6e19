using System.Net;
using System.Net.Http.Json;
using Atrium.Server.Tests.Support;
using Atrium.Testing;
using Atrium.Testing.Servers;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>
/// Failed sign-ins on two nodes sharing one Redis draw on one budget per username: once it is spent (the failure that
/// finds it empty blocks the username), even the right password is refused on every node; with Redis down each node
/// still limits on its own. Each test starts its own Redis (one stops it).
/// </summary>
public sealed class LoginThrottleClusterTests
{
    private const int Failures = 3;

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Accounts:LoginFailuresPerUsername"] = Failures.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Accounts:LoginFailuresPerClient"] = "1000",
        ["Accounts:LoginFailureWindow"] = "01:00:00",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Failures_on_both_nodes_draw_on_one_budget_and_the_block_holds_on_every_node()
    {
        await using var redis = await RedisServer.StartNewAsync(Ct);
        await using var nodes = await TwoNodes.StartAsync(redis, Settings, Ct);
        var victim = await TestUsers.SignUpAsync(nodes.Client(0), Ct);
        var bystander = await TestUsers.SignUpAsync(nodes.Client(0), Ct);

        // Two failures on node 1 and one on node 2: neither node has seen three, but the username has.
        await FailAsync(nodes.Client(0), victim.Username, 2);
        await FailAsync(nodes.Client(1), victim.Username, Failures - 2);

        // The next failure, on node 2, finds the shared budget empty and blocks the username cluster-wide.
        await FailAsync(nodes.Client(1), victim.Username, 1);
        foreach (var node in new[] { 0, 1 })
        {
            using var refused = await SignInAsync(nodes.Client(node), victim.Username, TestUsers.Password);
            await Api.ReadProblemAsync(refused, HttpStatusCode.TooManyRequests);
            Assert.True(refused.Headers.Contains("Retry-After"), "429 without a Retry-After header");
        }

        using var other = await SignInAsync(nodes.Client(0), bystander.Username, TestUsers.Password);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task With_Redis_down_each_node_still_limits_on_its_own()
    {
        await using var redis = await RedisServer.StartNewAsync(Ct);
        await using var nodes = await TwoNodes.StartAsync(redis, Settings, Ct);
        var victim = await TestUsers.SignUpAsync(nodes.Client(0), Ct);
        await redis.StopAsync(Ct);

        foreach (var node in new[] { 0, 1 })
        {
            await FailAsync(nodes.Client(node), victim.Username, Failures);
            using var refused = await SignInAsync(nodes.Client(node), victim.Username, TestUsers.Password);
            await Api.ReadProblemAsync(refused, HttpStatusCode.TooManyRequests);
        }
    }

    private static async Task FailAsync(HttpClient client, string username, int times)
    {
        for (var i = 0; i < times; i++)
        {
            using var failed = await SignInAsync(client, username, $"wrong-password-{i}");
            await Api.ReadProblemAsync(failed, HttpStatusCode.Unauthorized);
        }
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string username, string password) =>
        client.PostAsJsonAsync(new Uri("/api/v1/sessions", UriKind.Relative), new { username, password }, Ct);
}
