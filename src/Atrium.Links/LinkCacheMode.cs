namespace Atrium.Links;

/// <summary>
/// What the redirect's cache holds (<c>Links:Cache</c>). <see cref="Distributed"/> is the product; the others exist
/// so the Lab's <c>cache</c> experiment can measure what the cache saves, on the same code path.
/// </summary>
public enum LinkCacheMode
{
    /// <summary>The node-local L1, plus the Redis L2 when <c>ConnectionStrings:Redis</c> is set (the default).</summary>
    Distributed,

    /// <summary>The node-local L1 only, even when Redis is configured.</summary>
    Local,

    /// <summary>No cache: every redirect reads the database.</summary>
    None,
}
