using System.Data.Common;
using Atrium.Feed.Data;
using Atrium.Feed.Domain;
using Atrium.Feed.Events;
using Atrium.Platform.Data;
using Atrium.Platform.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atrium.Feed;

/// <summary>
/// Reads a home timeline (DESIGN.md §3, Feed). In hybrid and push modes: the pushed timeline (store), k-way
/// merged (<see cref="TimelineMerge"/>) with the reader's own posts and, in hybrid mode, the newest posts of up to
/// <see cref="FeedOptions.MaxCelebritiesPerRead"/> followed celebrities; past the timeline's cap the read goes on
/// in the database instead of ending. In pull mode, while a timeline is rebuilt, and when the store is down, the
/// whole read is one query over the followees' posts. Candidates are filtered at read: deleted posts, and authors
/// the reader no longer follows (which covers blocks: a block ends the follow). Bodies come in bulk through the
/// cache. Pages are keyset pages on the post id: a page holds ids below the cursor, so posts arriving meanwhile
/// (higher ids) never cause a gap or a repeat. A read marks the reader active (a write at most once per
/// <see cref="FeedOptions.ActivityResolution"/>); a reader coming back after <see cref="FeedOptions.InactiveAfter"/>
/// gets their timeline rebuilt, and <c>regenerating</c> pages from the database until it is done.
/// The celebrities' posts are read alongside the rest (<see cref="ICelebrityPosts"/>, its own connection) within
/// <see cref="FeedOptions.CelebrityMergeBudget"/> for the whole read: past it (or if that read fails) the page is
/// answered without them and marked partial (<see cref="TimelinePage.Omitted"/>), instead of waiting on a slow merge.
/// </summary>
internal sealed partial class HomeTimeline(
    IDatabase database,
    ITimelineStore timelines,
    PostCache posts,
    FollowStore follows,
    IEventPublisher publisher,
    ICelebrityPosts celebrityPosts,
    TimeProvider time,
    IOptions<FeedOptions> options,
    FeedMetrics metrics,
    ILogger<HomeTimeline> logger)
{
    private const int MaxRounds = 4;
    private const int Slack = 4;

    public async Task<TimelinePage> ReadAsync(long reader, long before, long since, int limit, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = await database.OpenReadAsync(cancellationToken);
        var (regenerating, stale) = settings.Mode != FanOutMode.Pull ? await CheckActivityAsync(connection, reader, cancellationToken) : (false, false);
        var celebrities = settings.Mode == FanOutMode.Hybrid && !regenerating
            ? await FeedUserStore.FollowedCelebritiesAsync(connection, reader, settings.MaxCelebritiesPerRead, cancellationToken)
            : [];

        var results = new List<PostRow>(limit);
        long? next = null;
        using var merge = new CelebrityMerge(settings.CelebrityMergeBudget, time, cancellationToken);
        for (var round = 0; round < MaxRounds; round++)
        {
            var take = limit - results.Count + Slack;
            var (candidates, rebuilding) = await CandidatesAsync(connection, reader, celebrities, merge, regenerating, stale, before, since, take, cancellationToken);
            regenerating |= rebuilding;
            if (candidates.Count == 0)
            {
                next = null;
                break;
            }

            var rows = await posts.GetManyAsync(candidates, cancellationToken);
            var authors = rows.Values.Where(p => !p.IsDeleted && p.AuthorId != reader).Select(p => p.AuthorId).Distinct().ToList();
            var followed = await follows.FollowedAmongAsync(connection, reader, authors, cancellationToken);
            foreach (var id in candidates)
            {
                if (results.Count == limit)
                {
                    break;
                }

                before = id;
                if (rows.TryGetValue(id, out var row) && !row.IsDeleted && (row.AuthorId == reader || followed.Contains(row.AuthorId)))
                {
                    results.Add(row);
                }
            }

            // Full: continue below the last post shown. Fewer candidates than asked: nothing is left below.
            next = results.Count == limit ? results[^1].Id : candidates.Count < take ? null : before;
            if (results.Count == limit || next is null)
            {
                break;
            }
        }

        return new TimelinePage(results, since > 0 ? null : next, regenerating, merge.Omitted ? [TimelinePage.OmittedCelebrities] : []);
    }

    /// <summary>
    /// Marks the reader active (and keeps their stored timeline as long); Rebuilding when their timeline is (being)
    /// rebuilt, so this read must come from the database; Stale when a write to it failed, so it must be rebuilt.
    /// </summary>
    private async Task<(bool Rebuilding, bool Stale)> CheckActivityAsync(DbConnection connection, long reader, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var state = await FeedUserStore.FindAsync(connection, null, reader, cancellationToken);
        if (state is not null && ActivityRule.IsActive(state.ActiveAt, now, settings.InactiveAfter))
        {
            if (!state.IsRebuilding && ActivityRule.NeedsTouch(state.ActiveAt, now, settings.ActivityResolution))
            {
                await using (var primary = await database.OpenPrimaryAsync(cancellationToken))
                {
                    await FeedUserStore.TouchAsync(primary, reader, now, cancellationToken);
                }

                await timelines.KeepAsync(reader, cancellationToken);
            }

            return (state.IsRebuilding, state.IsStale && !state.IsRebuilding);
        }

        await using (var primary = await database.OpenPrimaryAsync(cancellationToken))
        {
            await using var transaction = await primary.BeginTransactionAsync(cancellationToken);
            if (await FeedUserStore.TryActivateAsync(transaction, reader, now, ActivityRule.ActiveSince(now, settings.InactiveAfter), cancellationToken))
            {
                await publisher.PublishAsync(new TimelineRebuildRequested(reader), transaction, cancellationToken);
                LogRebuildRequested(logger, reader, "inactive");
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return (true, false);
    }

    /// <summary>The candidate post ids of one round, newest first, and whether the store turned out to need a rebuild.</summary>
    private async Task<(List<long> Ids, bool Rebuilding)> CandidatesAsync(
        DbConnection connection, long reader, List<long> celebrities, CelebrityMerge merge, bool regenerating, bool stale, long before, long since, int take,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;

        // A poll for newer posts reads the database: a post is there from its commit, while its push may wait behind a
        // queue backlog, and by then the reader may hold newer ids (their own, a celebrity's) to poll from.
        if (settings.Mode == FanOutMode.Pull || regenerating || since > 0)
        {
            metrics.Read("database");
            return (await PullIdsAsync(connection, reader, celebrities: true, before, since, take, cancellationToken), regenerating);
        }

        var slice = await timelines.ReadAsync(reader, before, since, take, cancellationToken);

        // Missing (lost, expired, never built), or stale (a write to it failed) while the store answers again: rebuild.
        // Stale but the store still down: read the database without asking, as a rebuild could not reach it either.
        if (slice.State == TimelineState.Missing || (stale && slice.State == TimelineState.Ready))
        {
            await RequestRebuildAsync(reader, slice.State == TimelineState.Missing ? "missing from the store" : "stale", cancellationToken);
            metrics.Read("database");
            return (await PullIdsAsync(connection, reader, celebrities: true, before, since, take, cancellationToken), true);
        }

        if (slice.State == TimelineState.Unavailable)
        {
            metrics.Read("database");
            return (await PullIdsAsync(connection, reader, celebrities: true, before, since, take, cancellationToken), false);
        }

        metrics.Read("timeline");
        var celebrityIds = celebrities.Count > 0 && !merge.Omitted
            ? celebrityPosts.NewestAsync(celebrities, before, since, take, merge.Token)
            : null;
        var sources = new List<IReadOnlyList<long>>(celebrities.Count + 3)
        {
            slice.PostIds,
            await PostStore.AuthorPostIdsAsync(connection, null, reader, before, since, take, cancellationToken),
        };
        if (celebrityIds is not null)
        {
            try
            {
                sources.AddRange(await celebrityIds);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is OperationCanceledException or DbException)
            {
                merge.Omit();
                LogCelebritiesOmitted(logger, reader, celebrities.Count, options.Value.CelebrityMergeBudget.TotalMilliseconds, ex);
            }
        }

        if (slice.Truncated)
        {
            // The timeline ran out: below its oldest entry (past the cap, after an unfollow's removal) the database goes on.
            var below = slice.PostIds.Count > 0 ? slice.PostIds[^1] : before;
            sources.Add(await PullIdsAsync(connection, reader, celebrities: false, below, since, take, cancellationToken));
        }

        return (TimelineMerge.Merge(sources, take), false);
    }

    private static async Task<List<long>> PullIdsAsync(
        DbConnection connection, long reader, bool celebrities, long before, long since, int take, CancellationToken cancellationToken) =>
        [.. (await PostStore.PullAsync(connection, null, reader, includeReader: true, celebrities, before, since, take, cancellationToken)).Select(p => p.Id)];

    private async Task RequestRebuildAsync(long reader, string reason, CancellationToken cancellationToken)
    {
        await using var primary = await database.OpenPrimaryAsync(cancellationToken);
        await using var transaction = await primary.BeginTransactionAsync(cancellationToken);
        if (await FeedUserStore.TryRequestRebuildAsync(transaction, reader, cancellationToken))
        {
            await publisher.PublishAsync(new TimelineRebuildRequested(reader), transaction, cancellationToken);
            LogRebuildRequested(logger, reader, reason);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Home timeline of user {UserId}: the posts of {Celebrities} celebrities were left out (budget {BudgetMs} ms)")]
    private static partial void LogCelebritiesOmitted(ILogger logger, long userId, int celebrities, double budgetMs, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rebuilding the home timeline of user {UserId} ({Reason})")]
    private static partial void LogRebuildRequested(ILogger logger, long userId, string reason);
}
