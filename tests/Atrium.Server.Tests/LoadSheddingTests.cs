using System.Net;
using Atrium.Server.Tests.Support;
using Atrium.Testing;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>
/// Load shedding (docs/resilience.md): past <c>MaxConcurrentRequests</c> in flight and a full queue, requests answer
/// 503 + Retry-After + ProblemDetails at once, are counted, and the health endpoints keep answering; queued requests
/// are served once permits free up. Requests are held in flight by a test-only endpoint, not by timing.
/// </summary>
public sealed class LoadSheddingTests(NodeLimitFixture fixture) : IClassFixture<NodeLimitFixture>
{
    [Fact]
    public async Task Past_the_limit_and_the_queue_requests_are_shed_with_503_and_the_queued_one_is_served_later()
    {
        var client = fixture.CreateClient();
        var held = new[] { client.GetPathAsync(HeldRequests.Path), client.GetPathAsync(HeldRequests.Path) };
        await Eventually.ReachesAsync(() => Task.FromResult(fixture.Held.Entered), n => n == 2, "two requests to hold the node's two permits");
        var queued = client.GetPathAsync(HeldRequests.Path);
        await Eventually.ReachesAsync(() => Task.FromResult(fixture.Meters.Observe("atrium.load_shedding.queued")), n => n == 1, "the third request to wait in the queue");

        using (var shed = await client.GetPathAsync(HeldRequests.Path))
        {
            var problem = await Api.ReadProblemAsync(shed, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("Server busy", problem.Title);
            Assert.Equal("2", shed.Headers.GetValues("Retry-After").Single());
        }

        using (var api = await client.GetPathAsync("/api/v1/links/abcdefg"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode); // every endpoint shares the node's permits
        }

        using (var health = await client.GetPathAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode); // exempt: the load balancer still sees the node
        }

        Assert.Equal(2, fixture.Meters.Sum("atrium.load_shedding.shed", "scope", "node"));
        Assert.Equal(2, fixture.Held.Entered); // the shed ones never reached the handler

        fixture.Held.Open();
        foreach (var response in await Task.WhenAll([.. held, queued]))
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        Assert.Equal(3, fixture.Held.Entered);
        using var after = await client.GetPathAsync(HeldRequests.Path);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}
