using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>Anonymous link creation can be switched off.</summary>
public sealed class AnonymousCreationOffTests(NoAnonymousLinksFixture fixture) : IClassFixture<NoAnonymousLinksFixture>
{
    [Fact]
    public async Task Anonymous_creation_answers_401_and_signed_in_creation_works()
    {
        using var anonymous = fixture.CreateAnonymousClient();
        using var refused = await anonymous.PostLinkAsync(new NewLink(TestData.Url()));
        var problem = await Api.ReadProblemAsync(refused, HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", problem.Detail, StringComparison.Ordinal);

        using var signedIn = fixture.CreateClient();
        await signedIn.CreateLinkAsync(TestData.Url());
    }
}
