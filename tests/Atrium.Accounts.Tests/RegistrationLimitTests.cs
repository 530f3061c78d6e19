using System.Globalization;
using System.Net;
using Atrium.Accounts.Tests.Support;
using Xunit;

namespace Atrium.Accounts.Tests;

/// <summary>Account creation is rate-limited per client address.</summary>
public sealed class RegistrationLimitTests
{
    [Fact]
    public async Task Registering_beyond_the_burst_answers_429_with_Retry_After()
    {
        await using var app = new TestApp(new Dictionary<string, string?>
        {
            ["Accounts:RegistrationBurst"] = "2",
            ["Accounts:RegistrationsPerHour"] = "2",
        });
        var client = app.CreateClient();
        await client.RegisterOkAsync();
        await client.RegisterOkAsync();

        using var limited = await client.RegisterAsync(Api.NewUsername());

        Assert.Contains("retry", (await Api.ReadProblemAsync(limited, HttpStatusCode.TooManyRequests)).Detail, StringComparison.OrdinalIgnoreCase);
        Assert.True(limited.Headers.TryGetValues("Retry-After", out var values), "429 without a Retry-After header");
        Assert.InRange(int.Parse(Assert.Single(values), NumberStyles.None, CultureInfo.InvariantCulture), 1, 30 * 60);
    }
}
