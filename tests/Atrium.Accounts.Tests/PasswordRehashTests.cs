using System.Buffers.Binary;
using System.Net;
using Atrium.Accounts.Tests.Support;
using Atrium.Testing;
using Xunit;

namespace Atrium.Accounts.Tests;

/// <summary>Raising the iteration count upgrades each user's hash at their next sign-in.</summary>
public sealed class PasswordRehashTests
{
    [Fact]
    public async Task A_hash_made_with_fewer_iterations_is_upgraded_at_sign_in_and_still_verifies()
    {
        var data = TempDirectory.Create("atrium-accounts-rehash");
        try
        {
            string username;
            await using (var before = new TestApp(new Dictionary<string, string?> { ["Accounts:PasswordIterations"] = "1000" }, data))
            {
                username = (await before.CreateClient().RegisterOkAsync()).Username;
                Assert.Equal(1000u, await IterationsAsync(before, username));
            }

            await using var after = new TestApp(new Dictionary<string, string?> { ["Accounts:PasswordIterations"] = "2500" }, data);
            var client = after.CreateClient();
            Assert.Equal(1000u, await IterationsAsync(after, username)); // untouched until the user signs in

            await client.SignInOkAsync(username);
            Assert.Equal(2500u, await IterationsAsync(after, username));

            await client.SignInOkAsync(username);
            using var wrong = await client.SignInAsync(username, "definitely-not-it");
            await Api.ReadProblemAsync(wrong, HttpStatusCode.Unauthorized);
        }
        finally
        {
            TestData.TryDelete(data);
        }
    }

    [Fact]
    public async Task New_hashes_are_identity_v3_pbkdf2_sha512_with_the_configured_count()
    {
        await using var app = new TestApp(new Dictionary<string, string?> { ["Accounts:PasswordIterations"] = "1234" });
        var account = await app.CreateClient().RegisterOkAsync();

        var hash = Convert.FromBase64String((await app.QueryAsync<string>(
            "SELECT password_hash FROM accounts_users WHERE username = @username", new { username = account.Username }))[0]);

        Assert.Equal(0x01, hash[0]); // format marker: Identity V3
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(1))); // KeyDerivationPrf.HMACSHA512
        Assert.Equal(1234u, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5)));
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(9))); // salt bytes
    }

    private static async Task<uint> IterationsAsync(TestApp app, string username)
    {
        var stored = (await app.QueryAsync<string>("SELECT password_hash FROM accounts_users WHERE username = @username", new { username }))[0];
        return BinaryPrimitives.ReadUInt32BigEndian(Convert.FromBase64String(stored).AsSpan(5));
    }
}
