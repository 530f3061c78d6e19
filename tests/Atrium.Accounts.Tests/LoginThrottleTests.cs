using System.Globalization;
using System.Net;
using Atrium.Accounts.Tests.Support;
using Xunit;

namespace Atrium.Accounts.Tests;

/// <summary>
/// Failed sign-ins are limited per username and per client address; each test runs its own app with
/// small limits (in the in-memory server every request comes from the same address).
/// </summary>
public sealed class LoginThrottleTests
{
    [Fact]
    public async Task After_the_failures_allowed_for_a_username_even_the_right_password_gets_429_with_Retry_After()
    {
        await using var app = new TestApp(new Dictionary<string, string?>
        {
            ["Accounts:LoginFailuresPerUsername"] = "3",
            ["Accounts:LoginFailuresPerClient"] = "1000",
        });
        var client = app.CreateClient();
        var victim = await client.RegisterOkAsync();
        var bystander = await client.RegisterOkAsync();

        for (var i = 0; i < 3; i++)
        {
            using var failed = await client.SignInAsync(victim.Username, $"wrong-guess-number-{i}");
            await Api.ReadProblemAsync(failed, HttpStatusCode.Unauthorized);
        }

        using var limited = await client.SignInAsync(victim.Username);
        using var otherCase = await client.SignInAsync(victim.Username.ToUpperInvariant());

        var problem = await Api.ReadProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.Contains("retry in", problem.Detail, StringComparison.Ordinal);
        AssertRetryAfter(limited, maxSeconds: 15 * 60);
        await Api.ReadProblemAsync(otherCase, HttpStatusCode.TooManyRequests);
        await client.SignInOkAsync(bystander.Username); // other usernames are not affected
    }

    [Fact]
    public async Task Unknown_usernames_are_limited_the_same_way()
    {
        await using var app = new TestApp(new Dictionary<string, string?>
        {
            ["Accounts:LoginFailuresPerUsername"] = "2",
            ["Accounts:LoginFailuresPerClient"] = "1000",
        });
        var client = app.CreateClient();
        var ghost = Api.NewUsername();

        for (var i = 0; i < 2; i++)
        {
            using var failed = await client.SignInAsync(ghost, "wrong-guess-again");
            await Api.ReadProblemAsync(failed, HttpStatusCode.Unauthorized);
        }

        using var limited = await client.SignInAsync(ghost, "wrong-guess-again");
        await Api.ReadProblemAsync(limited, HttpStatusCode.TooManyRequests);
        AssertRetryAfter(limited, maxSeconds: 15 * 60);
    }

    [Fact]
    public async Task After_the_failures_allowed_from_a_client_every_sign_in_from_it_gets_429()
    {
        await using var app = new TestApp(new Dictionary<string, string?>
        {
            ["Accounts:LoginFailuresPerUsername"] = "1000",
            ["Accounts:LoginFailuresPerClient"] = "4",
        });
        var client = app.CreateClient();
        var account = await client.RegisterOkAsync();

        for (var i = 0; i < 4; i++)
        {
            using var failed = await client.SignInAsync(Api.NewUsername(), "spraying-one-password");
            await Api.ReadProblemAsync(failed, HttpStatusCode.Unauthorized);
        }

        using var limited = await client.SignInAsync(account.Username);
        Assert.Contains("retry in", (await Api.ReadProblemAsync(limited, HttpStatusCode.TooManyRequests)).Detail, StringComparison.Ordinal);
        AssertRetryAfter(limited, maxSeconds: 15 * 60);
    }

    [Fact]
    public async Task Successful_sign_ins_do_not_count()
    {
        await using var app = new TestApp(new Dictionary<string, string?>
        {
            ["Accounts:LoginFailuresPerUsername"] = "2",
            ["Accounts:LoginFailuresPerClient"] = "2",
        });
        var client = app.CreateClient();
        var account = await client.RegisterOkAsync();

        for (var i = 0; i < 5; i++)
        {
            await client.SignInOkAsync(account.Username);
        }
    }

    private static void AssertRetryAfter(HttpResponseMessage response, int maxSeconds)
    {
        Assert.True(response.Headers.TryGetValues("Retry-After", out var values), "429 without a Retry-After header");
        var seconds = int.Parse(Assert.Single(values), NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, maxSeconds);
    }
}
