using Atrium.Feed.Data;
using Atrium.Feed.Tests.Support;
using StackExchange.Redis;
using Xunit;

namespace Atrium.Feed.Tests;

/// <summary>
/// Home timelines on a Redis Cluster: a fan-out batch whose followers' timelines lie in many hash slots (one script
/// may only touch keys of one slot there) still reaches every timeline, and timelines build and read as on one server.
/// </summary>
public sealed class RedisClusterFeedTests(ClusterFeedApp app) : IClassFixture<ClusterFeedApp>
{
    private const int Followers = 12;

    [Fact]
    public async Task A_post_reaches_every_followers_timeline_whatever_slot_it_lies_in()
    {
        var author = await app.NewUserAsync();
        var readers = new List<FeedUser>();
        for (var i = 0; i < Followers; i++)
        {
            var reader = await app.NewUserAsync();
            await reader.FollowAsync(author);
            await reader.ActivateAsync(); // builds the reader's timeline, so the push writes it
            readers.Add(reader);
        }

        await using (var redis = await ConnectionMultiplexer.ConnectAsync(app.Cluster.ConnectionString))
        {
            var slots = new HashSet<int>();
            foreach (var reader in readers)
            {
                slots.Add(redis.HashSlot(RedisTimelineStore.Key(await app.UserIdAsync(reader))));
            }

            Assert.True(slots.Count > 1, "the followers' timelines all share one slot: the test proves nothing");
        }

        var post = await author.PostAsync("to every slot");
        foreach (var reader in readers)
        {
            await app.StoredEventuallyAsync(reader, s => s.Contains(post.Post.NumericId), $"the post in {reader.Username}'s stored timeline");
        }

        Assert.Equal(["to every slot"], (await readers[^1].FeedAsync()).Items.Texts());
    }
}
