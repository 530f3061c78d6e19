namespace Atrium.Feed;

/// <summary>How home timelines are built (<c>Feed:Mode</c>); the Lab compares them on the same data.</summary>
public enum FanOutMode
{
    /// <summary>Fan-out on write for every author, celebrities included: reads only read the timeline.</summary>
    Push,

    /// <summary>Fan-out on read: nothing is written per follower; every read merges the followees' posts from the database.</summary>
    Pull,

    /// <summary>Push for ordinary authors, pull (merge at read) for celebrities: the default.</summary>
    Hybrid,
}
