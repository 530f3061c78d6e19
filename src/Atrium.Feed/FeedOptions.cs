namespace Atrium.Feed;

/// <summary>Settings of the feed (<c>Feed</c> section), validated at start-up (<see cref="Validate"/>).</summary>
public sealed class FeedOptions
{
    /// <summary>Push, pull or hybrid fan-out (DESIGN.md §3, Feed).</summary>
    public FanOutMode Mode { get; set; } = FanOutMode.Hybrid;

    /// <summary>Post ids kept per home timeline; older pages are read from the database.</summary>
    public int TimelineCap { get; set; } = 800;

    /// <summary>Followers from which an author becomes a celebrity (posts merged at read, not pushed).</summary>
    public long CelebrityThreshold { get; set; } = 10_000;

    /// <summary>
    /// A celebrity stops being one only below <see cref="CelebrityThreshold"/> × this (0 &lt; h ≤ 1), so an author
    /// hovering around the threshold does not flip at every follow and unfollow.
    /// </summary>
    public double CelebrityHysteresis { get; set; } = 0.9;

    /// <summary>Followers who have not read their home timeline for this long are not fanned out to; their next read rebuilds it.</summary>
    public TimeSpan InactiveAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>A reader's activity is written at most once per this period (not once per read).</summary>
    public TimeSpan ActivityResolution { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Follower ids per fan-out message.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>At most this many followed celebrities (those who posted last) are merged into one read.</summary>
    public int MaxCelebritiesPerRead { get; set; } = 50;

    /// <summary>
    /// How long a home-timeline read waits for its followed celebrities' posts (<c>Feed:CelebrityMergeBudget</c>;
    /// docs/resilience.md). Past it, the page is answered without them and says so (<c>partial: true, omitted:
    /// ["celebrities"]</c>); the web view shows "Some posts could not be loaded". 250 ms: the merge is one indexed
    /// query per celebrity (well under 10 ms each when healthy) run alongside the rest of the read, so 250 ms means
    /// the database is struggling; a feed that answers in a quarter second without some posts beats one that hangs.
    /// </summary>
    public TimeSpan CelebrityMergeBudget { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Newest posts of a newly followed author copied into the follower's timeline.</summary>
    public int BackfillCount { get; set; } = 100;

    /// <summary>Posts per user per minute (token bucket), and the burst allowed.</summary>
    public int PostsPerMinute { get; set; } = 30;

    public int PostsBurst { get; set; } = 10;

    /// <summary>Follow, unfollow, block and unblock changes per user per minute, and the burst allowed.</summary>
    public int FollowChangesPerMinute { get; set; } = 60;

    public int FollowChangesBurst { get; set; } = 20;

    /// <summary>Reads (timelines, lists, posts) per user per minute, and the burst allowed.</summary>
    public int ReadsPerMinute { get; set; } = 1200;

    public int ReadsBurst { get; set; } = 200;

    /// <summary>How long a post body stays in a node's L1 cache (bodies never change; a delete invalidates).</summary>
    public TimeSpan PostCacheDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The threshold below which a celebrity stops being one.</summary>
    public long CelebrityLowerThreshold => (long)Math.Ceiling(CelebrityThreshold * CelebrityHysteresis);

    /// <summary>Null when the settings hold together, else what is wrong.</summary>
    public string? Validate() => this switch
    {
        { TimelineCap: < 10 or > 100_000 } => "Feed:TimelineCap must be between 10 and 100000.",
        { CelebrityThreshold: < 1 } => "Feed:CelebrityThreshold must be at least 1.",
        { CelebrityHysteresis: <= 0 or > 1 } => "Feed:CelebrityHysteresis must be in (0, 1].",
        { BatchSize: < 1 or > 10_000 } => "Feed:BatchSize must be between 1 and 10000.",
        { MaxCelebritiesPerRead: < 0 or > 1000 } => "Feed:MaxCelebritiesPerRead must be between 0 and 1000.",
        _ when CelebrityMergeBudget <= TimeSpan.Zero || CelebrityMergeBudget > TimeSpan.FromMinutes(1) =>
            "Feed:CelebrityMergeBudget must be more than 0 and at most 1 minute.",
        { BackfillCount: < 0 } => "Feed:BackfillCount must not be negative.",
        { PostsPerMinute: < 1 } or { PostsBurst: < 1 } or { FollowChangesPerMinute: < 1 } or { FollowChangesBurst: < 1 }
            or { ReadsPerMinute: < 1 } or { ReadsBurst: < 1 } => "Feed rate limits must be at least 1.",
        _ when InactiveAfter <= TimeSpan.Zero || ActivityResolution <= TimeSpan.Zero || ActivityResolution >= InactiveAfter =>
            "Feed:InactiveAfter must be positive and longer than Feed:ActivityResolution.",
        _ when PostCacheDuration <= TimeSpan.Zero => "Feed:PostCacheDuration must be positive.",
        _ => null,
    };
}
