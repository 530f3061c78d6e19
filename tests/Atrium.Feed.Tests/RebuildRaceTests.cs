using Atrium.Feed.Events;
using Atrium.Feed.Tests.Support;
using Atrium.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Atrium.Feed.Tests;

/// <summary>
/// A rebuild reads the posts, then writes the timeline; what is committed in between (interleaved there by
/// <see cref="TimelineRebuildHook"/>) is kept: a post pushed meanwhile lands in the timeline being built, and a follow
/// made meanwhile is backfilled into it. Redis only: the table store has no "timeline exists" marker to race with.
/// </summary>
public sealed class RebuildRaceTests
{
    [Fact(
        Skip = "Timelines live in Redis only in the distributed shape (ATRIUM_TEST_SHAPE=distributed).",
        SkipUnless = nameof(TestShape.Distributed),
        SkipType = typeof(TestShape))]
    public async Task A_post_pushed_between_a_rebuilds_read_and_its_write_is_kept()
    {
        await using var app = new FeedApp();
        await app.InitializeAsync();
        var reader = await app.NewUserAsync();
        var author = await app.NewUserAsync();
        await reader.FollowAsync(author);
        await author.PostAsync("before the rebuild");
        var readerId = await app.UserIdAsync(reader);
        PostBody? raced = null;
        app.Services.GetRequiredService<TimelineRebuildHook>().AfterRead = async (userId, _) =>
        {
            if (userId != readerId || raced is not null)
            {
                return;
            }

            var batches = app.Metrics.BatchesWritten;
            raced = (await author.PostAsync("during the rebuild")).Post;
            await Eventually.HoldsAsync(() => app.Metrics.BatchesWritten > batches, "the raced post's fan-out batch to be written");
        };

        Assert.True((await reader.FeedAsync()).Regenerating); // the first read builds the timeline
        var page = await reader.ActivateAsync();

        Assert.Equal(["during the rebuild", "before the rebuild"], page.Items.Texts());
        Assert.Contains(raced!.NumericId, (await app.StoredAsync(reader))!);
    }

    [Fact(
        Skip = "Timelines live in Redis only in the distributed shape (ATRIUM_TEST_SHAPE=distributed).",
        SkipUnless = nameof(TestShape.Distributed),
        SkipType = typeof(TestShape))]
    public async Task A_follow_made_while_a_timeline_is_rebuilt_is_backfilled()
    {
        await using var app = new FeedApp();
        await app.InitializeAsync();
        var reader = await app.NewUserAsync();
        var author = await app.NewUserAsync();
        var later = await app.NewUserAsync();
        await reader.FollowAsync(author);
        await author.PostAsync("followed before");
        var backfilled = await later.PostAsync("followed during the rebuild");
        var readerId = await app.UserIdAsync(reader);
        var fired = false;
        app.Services.GetRequiredService<TimelineRebuildHook>().AfterRead = async (userId, _) =>
        {
            if (userId != readerId || fired)
            {
                return;
            }

            fired = true;
            var applied = app.Metrics.FollowChangesApplied;
            await reader.FollowAsync(later);
            await Eventually.HoldsAsync(() => app.Metrics.FollowChangesApplied > applied, "the follow's backfill to be handled");
        };

        Assert.True((await reader.FeedAsync()).Regenerating);
        var page = await reader.ActivateAsync();

        Assert.True(fired);
        Assert.Equal(["followed during the rebuild", "followed before"], page.Items.Texts());
        Assert.Contains(backfilled.Post.NumericId, (await app.StoredAsync(reader))!);
    }
}
