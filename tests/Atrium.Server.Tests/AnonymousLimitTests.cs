using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>Anonymous clients get a tighter creation limit than signed-in users.</summary>
public sealed class AnonymousLimitTests(AnonymousLimitFixture fixture) : IClassFixture<AnonymousLimitFixture>
{
    [Fact]
    public async Task The_anonymous_bucket_runs_out_first()
    {
        using var anonymous = fixture.CreateAnonymousClient();
        await anonymous.CreateLinkAsync(TestData.Url());
        await anonymous.CreateLinkAsync(TestData.Url());
        using var third = await anonymous.PostLinkAsync(new NewLink(TestData.Url()));
        await Api.ReadProblemAsync(third, HttpStatusCode.TooManyRequests);
        Assert.NotNull(third.Headers.RetryAfter);

        using var signedIn = fixture.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await signedIn.CreateLinkAsync(TestData.Url());
        }
    }
}
