using Atrium.Feed.Data;
using Atrium.Feed.Tests.Support;
using Atrium.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Xunit;

namespace Atrium.Feed.Tests;

/// <summary>
/// A Redis timeline is not kept for a reader who stopped reading: it expires once they are inactive
/// (<c>Feed:InactiveAfter</c>, 5 s here), and their next read rebuilds it from the database.
/// </summary>
public sealed class IdleTimelineTests(ShortInactivityApp app) : IClassFixture<ShortInactivityApp>
{
    [Fact(
        Skip = "Timelines live in Redis only in the distributed shape (ATRIUM_TEST_SHAPE=distributed).",
        SkipUnless = nameof(TestShape.Distributed),
        SkipType = typeof(TestShape))]
    public async Task An_idle_readers_Redis_timeline_expires_and_is_rebuilt_on_the_next_read()
    {
        var reader = await app.NewUserAsync();
        var author = await app.NewUserAsync();
        await reader.FollowAsync(author);
        var post = await author.PostAsync("while away");
        await reader.ActivateAsync();
        var redis = app.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var key = RedisTimelineStore.Key(await app.UserIdAsync(reader));

        await Eventually.HoldsAsync(async () => !await redis.KeyExistsAsync(key), "the idle reader's timeline to expire");

        var back = await reader.ActivateAsync();
        Assert.Equal(["while away"], back.Items.Texts());
        await app.StoredEventuallyAsync(reader, s => s.Contains(post.Post.NumericId), "the timeline to be rebuilt in Redis");
    }
}
