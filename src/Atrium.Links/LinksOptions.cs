namespace Atrium.Links;

/// <summary>Settings of the link shortener (<c>Links</c> section).</summary>
public sealed class LinksOptions
{
    /// <summary>Base of short URLs, e.g. <c>https://atr.example</c>; empty: the scheme and host of the request.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Hosts that are Atrium itself (besides the request's host): links to them are refused.</summary>
    public List<string> OwnHosts { get; set; } = [];

    /// <summary>Target hosts refused, each with its subdomains.</summary>
    public List<string> BlockedHosts { get; set; } = [];

    /// <summary>
    /// Whether targets may be loopback, private-network, link-local or other non-public addresses, or local names
    /// (<c>localhost</c>, <c>*.local</c>, <c>*.internal</c>, single-label hosts). Off by default: a public shortener
    /// must not send visitors into the network it runs in. Turn on for an intranet deployment whose links lead to
    /// internal hosts.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>Whether links can be created without signing in (they then have no owner: nobody can edit them or see their stats).</summary>
    public bool AllowAnonymous { get; set; } = true;

    /// <summary>Link creations per signed-in user per minute (token bucket), and the burst allowed.</summary>
    public int CreatePerMinute { get; set; } = 60;

    public int CreateBurst { get; set; } = 20;

    /// <summary>Anonymous link creations per client address per minute, and the burst allowed: tighter than signed-in users'.</summary>
    public int AnonymousCreatePerMinute { get; set; } = 10;

    public int AnonymousCreateBurst { get; set; } = 5;

    /// <summary>Reads and deletes of link metadata and stats per client per minute.</summary>
    public int ManagePerMinute { get; set; } = 600;

    public int ManageBurst { get; set; } = 100;

    /// <summary>
    /// Short-code guessing: unknown codes a client (its address) may follow or preview, refilled evenly over
    /// <see cref="GuessLimitWindow"/>. A client that runs out gets 429 for every redirect and preview — existing
    /// codes too — for one window. In the cluster the count is shared through Redis. 0 turns the throttle off.
    /// </summary>
    public int GuessLimitMisses { get; set; } = 30;

    /// <summary>The window of <see cref="GuessLimitMisses"/>, and how long a client that ran out is refused.</summary>
    public TimeSpan GuessLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a known link stays in the node-local cache (L1).</summary>
    public TimeSpan LocalCacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>What the redirect cache holds: L1 + the Redis L2 (default), L1 only, or nothing (the Lab's baseline).</summary>
    public LinkCacheMode Cache { get; set; } = LinkCacheMode.Distributed;

    /// <summary>How long "no such link" is cached; creating the link clears it on this node at once.</summary>
    public TimeSpan NegativeCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Clicks flushed per batch, and the longest a click waits in the buffer.</summary>
    public int ClickBatchSize { get; set; } = 5000;

    public TimeSpan ClickFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Clicks held in memory before new ones are dropped (and counted as dropped) rather than slow the redirect.</summary>
    public int ClickBufferCapacity { get; set; } = 200_000;
}
