using System.Net;
using Atrium.Server.Tests.Support;
using Atrium.Testing;
using Atrium.Testing.Servers;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>
/// The PostgreSQL primary goes down (DESIGN.md §4, Resilience): writes answer 503 with Retry-After and a
/// ProblemDetails body at once, reads served by a replica or the cache keep working, and when the primary is back
/// writes succeed again by themselves. Starts its own primary and replica (it stops the primary).
/// </summary>
public sealed class PrimaryOutageTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    [Fact(
        Skip = "Needs PostgreSQL: runs in the distributed shape (ATRIUM_TEST_SHAPE=distributed).",
        SkipUnless = nameof(TestShape.Distributed),
        SkipType = typeof(TestShape))]
    public async Task Writes_fail_fast_with_503_while_replica_and_cache_reads_go_on_and_recover_when_the_primary_returns()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var postgres = await OwnPostgres.StartAsync(ct);
        var (primary, replica, database) = (postgres.Primary, postgres.Replica, postgres.Database);
        await using var app = new AtriumApp(postgres.Settings(Window));
        try
        {
            using var anonymous = app.CreateApiClient();
            using var owner = app.CreateApiClient().WithApiKey(await TestUsers.ApiKeyOfNewUserAsync(anonymous, ct));
            var link = await owner.CreateLinkAsync(TestData.Url());
            using (var first = await anonymous.GetAsync(Api.Relative($"/{link.Code}"), ct))
            {
                Assert.True((int)first.StatusCode is 301 or 302, $"redirect answered {first.StatusCode}"); // now cached
            }

            using (var warm = await owner.GetAsync(Api.Relative(Api.LinksPath), ct))
            {
                Assert.Equal(HttpStatusCode.OK, warm.StatusCode); // the API key is cached by the node
            }

            await replica.WaitForReplayAsync(cancellationToken: ct);
            await Task.Delay(Window + TimeSpan.FromMilliseconds(300), ct); // the owner's pin to the primary has lapsed
            await primary.StopAsync(ct);

            using (var write = await owner.PostLinkAsync(new NewLink(TestData.Url(), null)))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
                Assert.Equal("application/problem+json", write.Content.Headers.ContentType?.MediaType);
                Assert.Equal(TimeSpan.FromSeconds(5), write.Headers.RetryAfter?.Delta);
            }

            using (var cached = await anonymous.GetAsync(Api.Relative($"/{link.Code}"), ct))
            {
                Assert.True((int)cached.StatusCode is 301 or 302, $"a cached redirect answered {cached.StatusCode} with the primary down");
            }

            using (var fromReplica = await owner.GetAsync(Api.Relative($"{Api.LinksPath}/{link.Code}"), ct))
            {
                Assert.Equal(HttpStatusCode.OK, fromReplica.StatusCode);
            }

            await primary.StartAsync(ct);
            await Eventually.ReachesAsync(
                async () =>
                {
                    using var again = await owner.PostLinkAsync(new NewLink(TestData.Url(), null));
                    return again.StatusCode;
                },
                status => status == HttpStatusCode.Created,
                "link creation to work again once the primary is back",
                TimeSpan.FromSeconds(60));
        }
        finally
        {
            TestData.TryDelete(app.DataDirectory);
        }
    }
}
