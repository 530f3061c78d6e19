using System.Net;
using Atrium.Server.Tests.Support;
using Atrium.Testing;
using Atrium.Testing.Servers;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>
/// Read-your-writes on PostgreSQL with a replica that is held behind: a user's reads go to the primary for a
/// short window after that user writes, so they see their own write; after the window, the same read goes to the
/// replica and does not see it until replay resumes. It starts its own primary and replica (it pauses replay,
/// which would stall every other test on the shared ones).
/// </summary>
public sealed class ReadYourWritesTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    [Fact(
        Skip = "Needs PostgreSQL: runs in the distributed shape (ATRIUM_TEST_SHAPE=distributed).",
        SkipUnless = nameof(TestShape.Distributed),
        SkipType = typeof(TestShape))]
    public async Task A_user_reads_their_own_new_link_while_the_replica_lags()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var postgres = await OwnPostgres.StartAsync(ct);
        var (primary, replica, database) = (postgres.Primary, postgres.Replica, postgres.Database);
        await using var app = new AtriumApp(postgres.Settings(Window));
        try
        {
            using var anonymous = app.CreateApiClient();
            using var owner = app.CreateApiClient().WithApiKey(await TestUsers.ApiKeyOfNewUserAsync(anonymous, ct));

            // The schema and the user are on the replica; from here on it replays nothing.
            await replica.WaitForReplayAsync(cancellationToken: ct);
            await replica.PauseReplayAsync(ct);

            var link = await owner.CreateLinkAsync(TestData.Url());

            // The replica really is behind: the row is on the primary only.
            var sql = $"SELECT count(*) FROM links_links WHERE code = '{link.Code}'";
            Assert.Equal("1", await primary.QueryAsync(sql, database, ct));
            Assert.Equal("0", await replica.QueryAsync(sql, database, ct));

            // Right after the write, the owner's read (a replica read) is pinned to the primary: they see it.
            using (var mine = await owner.GetAsync(Api.Relative($"{Api.LinksPath}/{link.Code}"), ct))
            {
                Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
            }

            // Once the window has passed, the same read goes to the lagging replica and misses: the pin, not
            // luck, made the read above see the write.
            await Task.Delay(Window + TimeSpan.FromMilliseconds(500), ct);
            using (var stale = await owner.GetAsync(Api.Relative($"{Api.LinksPath}/{link.Code}"), ct))
            {
                Assert.Equal(HttpStatusCode.NotFound, stale.StatusCode);
            }

            await replica.ResumeReplayAsync(ct);
            await replica.WaitForReplayAsync(cancellationToken: ct);
            Assert.Equal("1", await replica.QueryAsync(sql, database, ct));
            using (var caughtUp = await owner.GetAsync(Api.Relative($"{Api.LinksPath}/{link.Code}"), ct))
            {
                Assert.Equal(HttpStatusCode.OK, caughtUp.StatusCode);
            }
        }
        finally
        {
            await replica.ResumeReplayAsync(CancellationToken.None);
            TestData.TryDelete(app.DataDirectory);
        }
    }
}
