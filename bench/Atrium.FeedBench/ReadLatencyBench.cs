using System.Collections.Concurrent;
using System.Diagnostics;

namespace Atrium.FeedBench;

/// <summary>
/// Home-timeline read latency at a steady request rate: <see cref="BenchOptions.Readers"/> readers, each following
/// <see cref="BenchOptions.FollowsPerReader"/> of <see cref="BenchOptions.Authors"/> authors who posted
/// <see cref="BenchOptions.PostsPerAuthor"/> posts each, read <c>GET /api/v1/feed?limit=20</c> in turn at
/// <see cref="BenchOptions.ReadsPerSecond"/> (open loop: each request has a scheduled start and its latency is measured
/// from it, so a stall counts against every request it delays — no coordinated omission). The baseline, alternated
/// with it round by round, is the same generator at the same rate against <c>GET /alive</c> of the same server.
/// </summary>
internal static class ReadLatencyBench
{
    public sealed record Window(Percentiles Latency, int Errors, double AchievedRate);

    public sealed record Round(int Number, Window Alive, Window Feed);

    public sealed record Result(IReadOnlyList<Round> Rounds, int Items);

    public static async Task<Result> RunAsync(HttpClient http, BenchOptions options, CancellationToken cancellationToken)
    {
        var random = new Random(42);
        var run = Guid.NewGuid().ToString("N")[..6];
        Console.WriteLine($"read: {options.Authors} authors, {options.Readers} readers");
        var authors = await SignUpManyAsync(http, $"ra{run}", options.Authors, cancellationToken);
        var readers = await SignUpManyAsync(http, $"rr{run}", options.Readers, cancellationToken);
        foreach (var reader in readers)
        {
            foreach (var author in authors.OrderBy(_ => random.Next()).Take(options.FollowsPerReader))
            {
                await reader.SendAsync(http, HttpMethod.Put, $"/api/v1/users/{author.Username}/follow", cancellationToken);
            }

            await reader.GetJsonAsync(http, "/api/v1/feed", cancellationToken); // active from now on
        }

        for (var i = 0; i < options.PostsPerAuthor; i++)
        {
            await Parallel.ForEachAsync(authors, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (author, ct) =>
                await author.SendAsync(http, HttpMethod.Post, "/api/v1/posts", ct, new { text = $"post {i} by {author.Username}" }));
        }

        Console.WriteLine("read: waiting for fan-out and rebuilds to settle");
        var items = 0;
        foreach (var reader in readers)
        {
            while (true)
            {
                var page = await reader.GetJsonAsync(http, "/api/v1/feed?limit=20", cancellationToken);
                if (!page.GetProperty("regenerating").GetBoolean() && page.GetProperty("items").GetArrayLength() == 20)
                {
                    items += 20;
                    break;
                }

                await Task.Delay(50, cancellationToken);
            }
        }

        HttpRequestMessage Feed(int k) => readers[k % readers.Count].Request(HttpMethod.Get, "/api/v1/feed?limit=20");
        static HttpRequestMessage Alive(int k) => new(HttpMethod.Get, new Uri("/alive", UriKind.Relative));
        var warmup = Math.Max(3, options.ReadSeconds / 4);
        Console.WriteLine($"read: {warmup} s warm-up of each, then {options.Rounds} rounds of {options.ReadSeconds} s at {options.ReadsPerSecond}/s, /alive and the feed alternated");
        await LoadAsync(http, Alive, options.ReadsPerSecond, warmup, cancellationToken);
        await LoadAsync(http, Feed, options.ReadsPerSecond, warmup, cancellationToken);
        var rounds = new List<Round>();
        for (var r = 1; r <= options.Rounds; r++)
        {
            Window alive, feed;
            if (r % 2 == 1)
            {
                alive = await LoadAsync(http, Alive, options.ReadsPerSecond, options.ReadSeconds, cancellationToken);
                feed = await LoadAsync(http, Feed, options.ReadsPerSecond, options.ReadSeconds, cancellationToken);
            }
            else
            {
                feed = await LoadAsync(http, Feed, options.ReadsPerSecond, options.ReadSeconds, cancellationToken);
                alive = await LoadAsync(http, Alive, options.ReadsPerSecond, options.ReadSeconds, cancellationToken);
            }

            Console.WriteLine($"read: round {r}: /alive p50 {alive.Latency.At(50):0.00} ms, p99 {alive.Latency.At(99):0.00} ms, max {alive.Latency.Max:0.00} ms, {alive.Errors} errors; " +
                $"feed p50 {feed.Latency.At(50):0.00} ms, p99 {feed.Latency.At(99):0.00} ms, max {feed.Latency.Max:0.00} ms, {feed.Errors} errors");
            rounds.Add(new Round(r, alive, feed));
        }

        return new Result(rounds, items);
    }

    private static async Task<Window> LoadAsync(
        HttpClient http, Func<int, HttpRequestMessage> next, int rate, int seconds, CancellationToken cancellationToken)
    {
        var samples = new ConcurrentBag<double>();
        var errors = 0;
        var total = rate * seconds;
        var inFlight = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var k = 0; k < total; k++)
        {
            var scheduled = TimeSpan.FromSeconds((double)k / rate);
            var wait = scheduled - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            var request = next(k);
            inFlight.Add(Task.Run(
                async () =>
                {
                    try
                    {
                        using (request)
                        using (var response = await http.SendAsync(request, cancellationToken))
                        {
                            await response.Content.ReadAsByteArrayAsync(cancellationToken);
                            if (!response.IsSuccessStatusCode)
                            {
                                Interlocked.Increment(ref errors);
                            }
                        }
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref errors);
                    }

                    samples.Add((clock.Elapsed - scheduled).TotalMilliseconds);
                },
                cancellationToken));
        }

        await Task.WhenAll(inFlight);
        return new Window(new Percentiles(samples), errors, total / clock.Elapsed.TotalSeconds);
    }

    private static async Task<List<BenchUser>> SignUpManyAsync(HttpClient http, string prefix, int count, CancellationToken cancellationToken)
    {
        var users = new BenchUser[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
            users[i] = await BenchUser.SignUpAsync(http, $"{prefix}{i:D5}", ct));
        return [.. users];
    }
}
