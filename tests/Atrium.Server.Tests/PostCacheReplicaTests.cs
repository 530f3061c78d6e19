using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atrium.Server.Tests.Support;
using Atrium.Testing;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>
/// The post cache is filled from the primary: a replica held behind (replay paused) still has a deleted post live,
/// and a fill from it would cache the live post for the cache's whole lifetime. Its own primary and replica (it
/// pauses replay); the distributed shape only (the embedded one has no replica).
/// </summary>
public sealed class PostCacheReplicaTests
{
    [Fact(
        Skip = "Needs PostgreSQL: runs in the distributed shape (ATRIUM_TEST_SHAPE=distributed).",
        SkipUnless = nameof(TestShape.Distributed),
        SkipType = typeof(TestShape))]
    public async Task A_post_deleted_while_the_replica_lags_is_not_cached_as_live()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var postgres = await OwnPostgres.StartAsync(ct);
        await using var app = new AtriumApp(postgres.Settings(TimeSpan.FromSeconds(2)));
        try
        {
            using var anonymous = app.CreateApiClient();
            using var author = app.CreateApiClient().WithApiKey(await TestUsers.ApiKeyOfNewUserAsync(anonymous, ct));
            using var reader = app.CreateApiClient().WithApiKey(await TestUsers.ApiKeyOfNewUserAsync(anonymous, ct));
            string id;
            using (var created = await author.PostAsJsonAsync(Api.Relative("/api/v1/posts"), new { text = "soon deleted" }, ct))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync(ct));
                id = body.RootElement.GetProperty("post").GetProperty("id").GetString()!;
            }

            // The replica has the users and the live post; from here on it replays nothing.
            await postgres.Replica.WaitForReplayAsync(cancellationToken: ct);
            await postgres.Replica.PauseReplayAsync(ct);
            using (var delete = await author.DeletePathAsync($"/api/v1/posts/{id}"))
            {
                Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
            }

            var live = $"SELECT count(*) FROM feed_posts WHERE id = {id} AND deleted_at IS NULL";
            Assert.Equal("1", await postgres.Replica.QueryAsync(live, postgres.Database, ct)); // the replica really is behind

            // Another user (not pinned to the primary) reads it: the fill must not come from the lagging replica.
            using (var read = await reader.GetPathAsync($"/api/v1/posts/{id}"))
            {
                Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
            }

            using (var again = await author.GetPathAsync($"/api/v1/posts/{id}"))
            {
                Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
            }
        }
        finally
        {
            await postgres.Replica.ResumeReplayAsync(CancellationToken.None);
            TestData.TryDelete(app.DataDirectory);
        }
    }
}
