using System.Net;
using Atrium.Server.Tests.Support;
using Atrium.Testing;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>
/// Bulkheads (docs/resilience.md): a module whose requests pile up (here the test module's, held in flight as if its
/// dependency hung) is turned away at once past its own limit, while the other modules keep answering — the links
/// API and the redirect still work with the stuck module at its limit.
/// </summary>
public sealed class ModuleBulkheadTests(ModuleLimitFixture fixture) : IClassFixture<ModuleLimitFixture>
{
    [Fact]
    public async Task A_module_stuck_at_its_limit_is_shed_while_the_links_module_still_answers()
    {
        var client = fixture.CreateClient();
        var owner = fixture.CreateClient().WithApiKey(await TestUsers.ApiKeyOfNewUserAsync(client, TestContext.Current.CancellationToken));
        var stuck = new[] { client.GetPathAsync(HeldRequests.Path), client.GetPathAsync(HeldRequests.Path) };
        await Eventually.ReachesAsync(() => Task.FromResult(fixture.Held.Entered), n => n == 2, "the module's two permits to be held");

        using (var shed = await client.GetPathAsync(HeldRequests.Path))
        {
            var problem = await Api.ReadProblemAsync(shed, HttpStatusCode.ServiceUnavailable);
            Assert.Contains(HoldEndpointStartupFilter.Module, problem.Detail, StringComparison.Ordinal);
            Assert.True(shed.Headers.Contains("Retry-After"));
        }

        var link = await owner.CreateLinkAsync("https://example.com/bulkhead");
        using (var redirect = await client.GetPathAsync("/" + link.Code))
        {
            Assert.True(redirect.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found, $"the redirect answered {(int)redirect.StatusCode}");
            Assert.Equal("https://example.com/bulkhead", redirect.Location());
        }

        Assert.Equal(1, fixture.Meters.Sum("atrium.load_shedding.shed", "scope", HoldEndpointStartupFilter.Module));

        fixture.Held.Open();
        foreach (var response in await Task.WhenAll(stuck))
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
    }
}
