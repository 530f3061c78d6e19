using Atrium.Feed.Tests.Support;
using Atrium.Platform.Messaging;
using Atrium.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Atrium.Feed.Tests;

/// <summary>
/// A fan-out batch that cannot reach Redis (frozen by SIGSTOP) for longer than its consumer retries is not
/// dead-lettered: the followers' timelines are marked stale, and once Redis answers again each is rebuilt from the
/// database on its next read, whether Redis kept its data or came back empty. Each test starts its own app and Redis.
/// </summary>
public sealed class TimelineHealingTests
{
    [Theory(
        Skip = "Timelines live in Redis only in the distributed shape (ATRIUM_TEST_SHAPE=distributed).",
        SkipUnless = nameof(TestShape.Distributed),
        SkipType = typeof(TestShape))]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_fan_out_batch_that_outlasts_its_retries_is_not_lost_and_the_timeline_heals(bool redisComesBackEmpty)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = new ShortRetryApp();
        await app.InitializeAsync();
        var reader = await app.NewUserAsync();
        var author = await app.NewUserAsync();
        await reader.FollowAsync(author);
        await reader.ActivateAsync();
        var before = await author.PostAsync("before the outage");
        await app.StoredEventuallyAsync(reader, s => s.Contains(before.Post.NumericId), "the first post to be pushed");

        var deadLetters = app.Services.GetRequiredService<IDeadLetters>();
        var batches = app.Metrics.BatchesWritten;
        await app.Redis!.PauseAsync(ct);
        PostBody during;
        try
        {
            during = (await author.PostAsync("during the outage")).Post;

            // The writer is done with the batch: its timelines marked stale (today: dead-lettered, its retries spent).
            await Eventually.HoldsAsync(
                async () => app.Metrics.BatchesWritten > batches || (await WriterDeadLettersAsync(deadLetters)).Count > 0,
                "the fan-out writer to finish with the batch of the outage",
                TimeSpan.FromSeconds(90));
        }
        finally
        {
            await app.Redis.ResumeAsync(ct);
        }

        if (redisComesBackEmpty)
        {
            await app.Redis.StopAsync(ct);
            await app.Redis.StartAsync(ct);
        }

        Assert.Empty(await WriterDeadLettersAsync(deadLetters));

        // The reader keeps reading, as a client polls: the reads have the stale (or lost) timeline rebuilt once Redis answers.
        var healed = await Eventually.ReachesAsync(
            async () => (Page: await reader.FeedAsync(), Stored: await app.StoredAsync(reader)),
            read => !read.Page.Regenerating && read.Stored is { } stored && stored.Contains(during.NumericId),
            "the timeline in Redis to be rebuilt with the post of the outage");
        Assert.Equal(["during the outage", "before the outage"], healed.Page.Items.Texts());
    }

    private static async Task<List<DeadLetter>> WriterDeadLettersAsync(IDeadLetters deadLetters) =>
        [.. (await deadLetters.ListAsync(0, 1000, TestContext.Current.CancellationToken)).Where(d => d.Consumer == "feed.fan-out-writer")];
}
