using System.Globalization;

namespace Atrium.FeedBench;

/// <summary>The bench's knobs, from <c>--name value</c> arguments.</summary>
internal sealed record BenchOptions
{
    /// <summary>Redis to use (host:port); empty: the bench starts its own.</summary>
    public string Redis { get; init; } = "";

    /// <summary>Rounds of each measurement, alternated with its baseline.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Concurrent redis-benchmark clients running the fan-out script (the reference).</summary>
    public int ReferenceClients { get; init; } = 4;

    public int Authors { get; init; } = 50;

    public int PostsPerAuthor { get; init; } = 20;

    public int Readers { get; init; } = 100;

    public int FollowsPerReader { get; init; } = 25;

    public int ReadsPerSecond { get; init; } = 2000;

    public int ReadSeconds { get; init; } = 20;

    public int Followers { get; init; } = 10_000;

    public int VisibilityPosts { get; init; } = 20;

    public int ThroughputPosts { get; init; } = 20;

    public string Report { get; init; } = "reports/feed-table.md";

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            int Int() => int.Parse(value, CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--redis" => options with { Redis = value },
                "--rounds" => options with { Rounds = Int() },
                "--reference-clients" => options with { ReferenceClients = Int() },
                "--authors" => options with { Authors = Int() },
                "--posts-per-author" => options with { PostsPerAuthor = Int() },
                "--readers" => options with { Readers = Int() },
                "--follows-per-reader" => options with { FollowsPerReader = Int() },
                "--rate" => options with { ReadsPerSecond = Int() },
                "--seconds" => options with { ReadSeconds = Int() },
                "--followers" => options with { Followers = Int() },
                "--visibility-posts" => options with { VisibilityPosts = Int() },
                "--throughput-posts" => options with { ThroughputPosts = Int() },
                "--report" => options with { Report = value },
                var unknown => throw new ArgumentException($"Unknown option {unknown}."),
            };
        }

        return options;
    }
}
