namespace Atrium.Lab.FanOut;

/// <summary>
/// The generated follow graph every strategy runs on: one celebrity followed by <see cref="CelebrityFollowers"/>
/// generated users, <see cref="Authors"/> ordinary authors each followed by <see cref="FollowersPerAuthor"/> of
/// those same users (author a: users a·F … a·F + F − 1), and <see cref="Readers"/> real accounts who follow the
/// celebrity and every author through the API and whose reads are measured. Generated users are active (they read
/// recently) and have a built timeline, so fan-out on write reaches each of them.
/// </summary>
internal sealed record FollowGraph(int CelebrityFollowers, int Authors, int FollowersPerAuthor, int Readers)
{
    /// <summary>Generated user ids start here: far above any Snowflake id the server hands out during a run.</summary>
    public const long FirstGeneratedUser = 8_000_000_000_000_000_000L;

    /// <summary>Every how many followers (in follow order) the fan-out probes look for the post: less than a batch.</summary>
    public const int ProbeSpacing = 250;

    /// <summary>Added to a generated user's id to make the id of their follow of an ordinary author (the celebrity's is the user id).</summary>
    public const long AuthorFollowIdOffset = 100_000_000;

    public static long GeneratedUser(int index) => FirstGeneratedUser + index;

    /// <summary>The generated users following ordinary author <paramref name="author"/> (0-based).</summary>
    public IEnumerable<int> FollowersOf(int author) => Enumerable.Range(author * FollowersPerAuthor, FollowersPerAuthor);

    /// <summary>Active followers of the celebrity: every generated user and every reader.</summary>
    public long CelebrityAudience => CelebrityFollowers + Readers;

    /// <summary>Active followers of an ordinary author.</summary>
    public long AuthorAudience => FollowersPerAuthor + Readers;

    /// <summary>How many ordinary authors generated user <paramref name="index"/> follows.</summary>
    public int AuthorsFollowedBy(int index) => index < Authors * FollowersPerAuthor ? 1 : 0;

    /// <summary>
    /// Followers whose timelines are checked for a post of the celebrity (null) or of author <paramref name="author"/>:
    /// one every <see cref="ProbeSpacing"/> in follow order and the last. A fan-out batch (1,000 followers) is written
    /// atomically, so when every probe holds the post, every follower's timeline does.
    /// </summary>
    public IReadOnlyList<long> Probes(int? author)
    {
        var followers = author is { } a ? FollowersOf(a).ToList() : Enumerable.Range(0, CelebrityFollowers).ToList();
        return [.. followers.Where((_, i) => i % ProbeSpacing == 0 || i == followers.Count - 1).Select(GeneratedUser)];
    }
}
