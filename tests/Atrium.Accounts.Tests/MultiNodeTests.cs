using Atrium.Accounts.Tests.Support;
using Atrium.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace Atrium.Accounts.Tests;

/// <summary>Two app instances on one database, as two nodes behind a load balancer: tokens are stateless, keys shared.</summary>
public sealed class MultiNodeTests : IAsyncLifetime
{
    private readonly string _data = TempDirectory.Create("atrium-accounts-nodes");

    [Fact]
    public async Task Each_node_accepts_the_others_tokens_refresh_tokens_and_api_keys()
    {
        await using var a = new TestApp(dataDirectory: _data);
        await using var b = new TestApp(dataDirectory: _data);
        var onA = a.CreateClient();
        var onB = b.CreateClient();

        var account = await onA.RegisterOkAsync();
        var fromB = await onB.SignInOkAsync(account.Username);
        var fromA = await onA.SignInOkAsync(account.Username);

        Assert.Equal(account, await onA.MeOkAsync(fromB.AccessToken));
        Assert.Equal(account, await onB.MeOkAsync(fromA.AccessToken));
        Assert.Equal(new JsonWebToken(fromA.AccessToken).Kid, new JsonWebToken(fromB.AccessToken).Kid);

        using var refreshed = await onA.RefreshAsync(fromB.RefreshToken);
        var renewed = await Api.ReadAsync<SessionBody>(refreshed, System.Net.HttpStatusCode.OK);
        Assert.Equal(account, await onB.MeOkAsync(renewed.AccessToken));

        var key = await onA.CreateKeyOkAsync(fromA.AccessToken);
        Assert.Equal(account, await onB.MeOkAsync(apiKey: key.Key));
        Assert.Single(await a.QueryAsync<string>("SELECT kid FROM accounts_signing_keys"));
    }

    [Fact]
    public async Task Nodes_rotating_at_the_same_time_add_one_key_between_them()
    {
        var clock = TestApp.NewClock();
        await using var a = new TestApp(dataDirectory: _data, clock: clock);
        await using var b = new TestApp(dataDirectory: _data, clock: clock);
        var onA = a.CreateClient();
        var onB = b.CreateClient();
        var account = await onA.RegisterOkAsync();

        await a.AdvanceAsync(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await b.WaitForLeaseAsync();
        var sessions = await Task.WhenAll(onA.SignInOkAsync(account.Username), onB.SignInOkAsync(account.Username));

        var generations = await a.QueryAsync<long>("SELECT generation FROM accounts_signing_keys ORDER BY generation");
        Assert.Equal([1L, 2L], generations);
        Assert.Equal(new JsonWebToken(sessions[0].AccessToken).Kid, new JsonWebToken(sessions[1].AccessToken).Kid);
        Assert.Equal(account, await onA.MeOkAsync(sessions[1].AccessToken));
        Assert.Equal(account, await onB.MeOkAsync(sessions[0].AccessToken));
    }

    [Fact]
    public async Task A_node_reads_a_key_made_by_another_node_as_soon_as_a_token_names_it()
    {
        // Nodes re-read keys only daily here, so only the unknown-key path can explain B accepting A's new key.
        var settings = new Dictionary<string, string?> { ["Accounts:SigningKeyRefresh"] = "1.00:00:00" };
        var clock = TestApp.NewClock();
        await using var a = new TestApp(settings, _data, clock);
        await using var b = new TestApp(settings, _data, clock);
        var onA = a.CreateClient();
        var onB = b.CreateClient();
        var account = await onA.RegisterOkAsync();

        await a.AdvanceAsync(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        await b.WaitForLeaseAsync();
        var beforeRotation = await onB.SignInOkAsync(account.Username); // B reads the keys now: no rotation due yet

        await a.AdvanceAsync(TimeSpan.FromMinutes(2));
        await b.WaitForLeaseAsync();
        var afterRotation = await onA.SignInOkAsync(account.Username); // A rotates
        Assert.NotEqual(new JsonWebToken(beforeRotation.AccessToken).Kid, new JsonWebToken(afterRotation.AccessToken).Kid);

        Assert.Equal(account, await onB.MeOkAsync(afterRotation.AccessToken));
        var fromB = await onB.SignInOkAsync(account.Username);
        Assert.Equal(new JsonWebToken(afterRotation.AccessToken).Kid, new JsonWebToken(fromB.AccessToken).Kid);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        TestData.TryDelete(_data);
        return ValueTask.CompletedTask;
    }
}
