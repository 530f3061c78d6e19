using Atrium.Feed.Tests.Support;
using Atrium.Testing;
using Xunit;

namespace Atrium.Feed.Tests;

/// <summary>
/// Timelines in Redis: with Redis down, reads are built from the database (not an error); when Redis comes back
/// empty, the lost timeline is rebuilt on the next read. Starts its own app and Redis (it stops Redis).
/// </summary>
public sealed class RedisOutageTests
{
    [Fact(
        Skip = "Timelines live in Redis only in the distributed shape (ATRIUM_TEST_SHAPE=distributed).",
        SkipUnless = nameof(TestShape.Distributed),
        SkipType = typeof(TestShape))]
    public async Task Reads_survive_Redis_going_down_and_a_lost_timeline_is_rebuilt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = new FeedApp();
        await app.InitializeAsync();
        var reader = await app.NewUserAsync();
        var author = await app.NewUserAsync();
        await reader.FollowAsync(author);
        await reader.ActivateAsync();
        await author.PostAsync("before the outage");
        await reader.FeedEventuallyAsync(f => f.Items.Count == 1, "the first post");

        await app.Redis!.StopAsync(ct);
        var during = await reader.FeedAsync();
        Assert.Equal(["before the outage"], during.Items.Texts());
        await author.PostAsync("during the outage");
        await reader.FeedEventuallyAsync(f => f.Items.Count == 2, "the post made during the outage, read from the database");

        await app.Redis.StartAsync(ct); // empty: every timeline is lost

        // Once the client has reconnected, a read finds the timeline missing and has it rebuilt (meanwhile: regenerating).
        await Eventually.ReachesAsync(
            async () =>
            {
                var page = await reader.FeedAsync();
                Assert.Equal(["during the outage", "before the outage"], page.Items.Texts());
                return (await app.StoredAsync(reader))?.Count ?? 0;
            },
            count => count == 2,
            "the lost timeline to be rebuilt in Redis");
        var rebuilt = await reader.FeedEventuallyAsync(f => !f.Regenerating, "the rebuild to be marked done"); // committed after the Redis write
        Assert.Equal(["during the outage", "before the outage"], rebuilt.Items.Texts());
    }
}
