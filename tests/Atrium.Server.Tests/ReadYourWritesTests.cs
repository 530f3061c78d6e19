using System.Net;
using Atrium.Server.Tests.Support;
using Atrium.Testing;
using Atrium.Testing.Servers;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>
/// Read-your-writes on PostgreSQL with a replica that is held behind: a user's reads go to the primary after that user
/// writes, for as long as a replica still in rotation may lack the write (the pin outlasts the window to commit, the
/// most lag a replica in rotation may have and two lag probes; a replica further behind is taken out of rotation), so
/// they see their own write on every read. It starts its own primary and replica (it pauses replay, which would stall
/// every other test on the shared ones).
/// </summary>
public sealed class ReadYourWritesTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxLag = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Probe = TimeSpan.FromMilliseconds(500);

    [Fact(
        Skip = "Needs PostgreSQL: runs in the distributed shape (ATRIUM_TEST_SHAPE=distributed).",
        SkipUnless = nameof(TestShape.Distributed),
        SkipType = typeof(TestShape))]
    public async Task A_user_reads_their_own_new_link_for_as_long_as_the_replica_lags()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var postgres = await OwnPostgres.StartAsync(ct);
        var (primary, replica, database) = (postgres.Primary, postgres.Replica, postgres.Database);
        var settings = postgres.Settings(Window);
        settings["Atrium:Database:MaxReplicaLag"] = MaxLag.ToString();
        settings["Atrium:Database:ReplicaCheckInterval"] = Probe.ToString();
        await using var app = new AtriumApp(settings);
        try
        {
            using var anonymous = app.CreateApiClient();
            using var owner = app.CreateApiClient().WithApiKey(await TestUsers.ApiKeyOfNewUserAsync(anonymous, ct));

            // The schema and the user are on the replica, which has just replayed a commit (current by any measure);
            // from here on it replays nothing.
            await replica.WaitForReplayAsync(cancellationToken: ct);
            await replica.PauseReplayAsync(ct);

            var link = await owner.CreateLinkAsync(TestData.Url());

            // The replica really is behind: the row is on the primary only.
            var sql = $"SELECT count(*) FROM links_links WHERE code = '{link.Code}'";
            Assert.Equal("1", await primary.QueryAsync(sql, database, ct));
            Assert.Equal("0", await replica.QueryAsync(sql, database, ct));

            // Right after the write and on every read while the replica stays behind (past the window, where a pin
            // that ended with it sent the read to the lagging replica, and past the most lag a replica in rotation may
            // have, where the lag monitor has taken it out of rotation), the owner sees their link.
            var until = DateTimeOffset.UtcNow + Window + (2 * MaxLag) + (4 * Probe);
            do
            {
                using var mine = await owner.GetAsync(Api.Relative($"{Api.LinksPath}/{link.Code}"), ct);
                Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
                await Task.Delay(250, ct);
            }
            while (DateTimeOffset.UtcNow < until);
            Assert.Equal("0", await replica.QueryAsync(sql, database, ct)); // still behind all along

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
