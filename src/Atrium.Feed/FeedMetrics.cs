using System.Diagnostics.Metrics;

namespace Atrium.Feed;

/// <summary>The feed's instruments (meter <c>Atrium.Feed</c>), scraped at <c>/metrics</c>.</summary>
internal sealed class FeedMetrics
{
    public const string MeterName = "Atrium.Feed";
    private readonly Counter<long> _posts;
    private readonly Counter<long> _batches;
    private readonly Counter<long> _celebritySkips;
    private readonly Counter<long> _rebuilds;
    private readonly Counter<long> _reads;
    private readonly Counter<long> _timelineWrites;
    private readonly Counter<long> _staleMarks;
    private long _planned;
    private long _batchesWritten;
    private long _followChangesApplied;

    public FeedMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _posts = meter.CreateCounter<long>("atrium.feed.posts", "{post}", "Posts created.");
        _batches = meter.CreateCounter<long>("atrium.feed.fanout.batches", "{batch}", "Fan-out batches planned.");
        _celebritySkips = meter.CreateCounter<long>("atrium.feed.fanout.celebrity_skips", "{post}", "Posts not fanned out because their author is a celebrity.");
        _rebuilds = meter.CreateCounter<long>("atrium.feed.timeline.rebuilds", "{timeline}", "Home timelines rebuilt.");
        _reads = meter.CreateCounter<long>("atrium.feed.timeline.reads", "{read}", "Home timeline reads, by source (timeline, database).");
        _staleMarks = meter.CreateCounter<long>(
            "atrium.feed.timeline.stale_marks", "{timeline}", "Home timelines marked stale (a write could not reach Redis): rebuilt on their next read.");
        _timelineWrites = meter.CreateCounter<long>("atrium.feed.timeline.writes", "{entry}", "Home timeline entries written by fan-out on write (one per follower a post was pushed to).");
    }

    public void PostCreated() => _posts.Add(1);

    public void BatchPlanned() => _batches.Add(1);

    /// <summary>Posts whose fan-out has been planned (pushed, or skipped as a celebrity's or in pull mode).</summary>
    public long PostsPlanned => Interlocked.Read(ref _planned);

    public void PostPlanned() => Interlocked.Increment(ref _planned);

    public void CelebrityPostSkipped() => _celebritySkips.Add(1);

    public void TimelineRebuilt() => _rebuilds.Add(1);

    /// <summary>Counts the timeline entries one fan-out batch wrote (the store's own count: existing timelines only).</summary>
    public void TimelineEntriesWritten(int count) => _timelineWrites.Add(count);

    /// <summary>Fan-out batches the writer has finished with (written, or their timelines marked stale).</summary>
    public long BatchesWritten => Interlocked.Read(ref _batchesWritten);

    public void BatchWritten() => Interlocked.Increment(ref _batchesWritten);

    /// <summary>Follow changes the backfiller has finished with (applied or skipped).</summary>
    public long FollowChangesApplied => Interlocked.Read(ref _followChangesApplied);

    public void FollowChangeApplied() => Interlocked.Increment(ref _followChangesApplied);

    public void TimelinesMarkedStale(int count) => _staleMarks.Add(count);

    public void Read(string source) => _reads.Add(1, new KeyValuePair<string, object?>("source", source));
}
