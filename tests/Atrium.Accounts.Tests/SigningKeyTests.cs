using System.Net;
using Atrium.Accounts.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Atrium.Accounts.Tests;

/// <summary>Signing keys live in the database, rotate, and retire; on a fake clock.</summary>
public sealed class SigningKeyTests
{
    [Fact]
    public async Task Keys_rotate_after_the_rotation_period_and_older_tokens_stay_valid_until_the_old_key_retires()
    {
        await using var app = new TestApp(clock: TestApp.NewClock());
        var client = app.CreateClient();
        var (account, first) = await client.NewUserAsync();
        var firstKid = new JsonWebToken(first.AccessToken).Kid;

        // Just before the rotation is due: still the first key.
        await app.AdvanceAsync(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(5));
        var late = await client.SignInOkAsync(account.Username);
        Assert.Equal(firstKid, new JsonWebToken(late.AccessToken).Kid);

        // Past it: the next sign-in is signed with a new key, and the token from the old key still works.
        await app.AdvanceAsync(TimeSpan.FromMinutes(6));
        var rotated = await client.SignInOkAsync(account.Username);
        var secondKid = new JsonWebToken(rotated.AccessToken).Kid;
        Assert.NotEqual(firstKid, secondKid);
        Assert.Equal(account, await client.MeOkAsync(late.AccessToken));
        Assert.Equal(account, await client.MeOkAsync(rotated.AccessToken));

        var keys = await app.QueryAsync<KeyRow>("SELECT kid, generation, secret, retire_at AS RetireAt FROM accounts_signing_keys ORDER BY generation");
        Assert.Equal([1L, 2L], keys.Select(k => k.Generation));
        Assert.Equal(firstKid, keys[0].Kid);
        Assert.NotNull(keys[0].RetireAt);
        Assert.Null(keys[1].RetireAt);

        // A token signed by the old key that has not itself expired (forged here with the stored secret)
        // is accepted until the key's retirement, and refused from then on.
        var retireAt = DateTimeOffset.FromUnixTimeMilliseconds(keys[0].RetireAt!.Value);
        Assert.InRange(retireAt - app.Clock!.GetUtcNow(), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(20));
        var longLived = Sign(keys[0], account, app.Clock.GetUtcNow(), TimeSpan.FromDays(1));
        Assert.Equal(account, await client.MeOkAsync(longLived));

        await app.AdvanceAsync(retireAt - app.Clock.GetUtcNow());
        using var retired = await client.MeAsync(longLived);
        Assert.Equal("The access token is not valid.", (await Api.ReadProblemAsync(retired, HttpStatusCode.Unauthorized)).Detail);
        Assert.Equal(account, await client.MeOkAsync((await client.SignInOkAsync(account.Username)).AccessToken));
    }

    [Fact]
    public async Task A_token_signed_with_a_valid_key_but_the_wrong_issuer_audience_or_algorithm_is_refused()
    {
        await using var app = new TestApp();
        var client = app.CreateClient();
        var (account, _) = await client.NewUserAsync();
        var key = (await app.QueryAsync<KeyRow>("SELECT kid, generation, secret, retire_at AS RetireAt FROM accounts_signing_keys"))[0];
        var now = DateTimeOffset.UtcNow;

        Assert.Equal(account, await client.MeOkAsync(Sign(key, account, now, TimeSpan.FromMinutes(5))));
        foreach (var token in new[]
        {
            Sign(key, account, now, TimeSpan.FromMinutes(5), issuer: "someone-else"),
            Sign(key, account, now, TimeSpan.FromMinutes(5), audience: "someone-else"),
            Sign(key, account, now, TimeSpan.FromMinutes(5), algorithm: SecurityAlgorithms.HmacSha512),
            Sign(key, account, now.AddMinutes(10), TimeSpan.FromMinutes(5)), // not valid yet
        })
        {
            using var response = await client.MeAsync(token);
            await Api.ReadProblemAsync(response, HttpStatusCode.Unauthorized);
        }
    }

    internal static string Sign(
        KeyRow key, AccountBody account, DateTimeOffset now, TimeSpan lifetime,
        string issuer = "atrium", string audience = "atrium", string algorithm = SecurityAlgorithms.HmacSha256)
    {
        var secret = Convert.FromBase64String(key.Secret);
        var signingKey = new SymmetricSecurityKey(algorithm == SecurityAlgorithms.HmacSha512 ? [.. secret, .. secret] : secret) { KeyId = key.Kid };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(signingKey, algorithm),
            Claims = new Dictionary<string, object> { ["sub"] = account.Id, ["name"] = account.Username },
        });
    }
}
