using System.Collections.Concurrent;
using System.Diagnostics;

namespace Atrium.FeedBench;

/// <summary>
/// Home-timeline read latency at a steady request rate: <see cref="BenchOptions.Readers"/> readers, each following
/// <see cref="BenchOptions.FollowsPerReader"/> of <see cref="BenchOptions.Authors"/> authors who posted
/// <see cref="BenchOptions.PostsPerAuthor"/> posts each, read <c>GET /api/v1/feed?limit=20</c> in turn at
/// <see cref="BenchOptions.ReadsPerSecond"/> (open loop: each request has a scheduled start and its latency is measured
/// from it, so a stall counts against every request it delays — no coordinated omission).
/// </summary>
internal static class ReadLatencyBench
{
    public sealed record Result(Percentiles Latency, int Errors, double AchievedRate, int Items);

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

        Console.WriteLine($"read: warm-up, then {options.ReadSeconds} s at {options.ReadsPerSecond}/s");
        await LoadAsync(http, readers, options.ReadsPerSecond, Math.Max(3, options.ReadSeconds / 4), cancellationToken);
        var (samples, errors, rate) = await LoadAsync(http, readers, options.ReadsPerSecond, options.ReadSeconds, cancellationToken);
        return new Result(new Percentiles(samples), errors, rate, items);
    }

    private static async Task<(List<double> Samples, int Errors, double Rate)> LoadAsync(
        HttpClient http, List<BenchUser> readers, int rate, int seconds, CancellationToken cancellationToken)
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

            var reader = readers[k % readers.Count];
            inFlight.Add(Task.Run(
                async () =>
                {
                    try
                    {
                        using var request = reader.Request(HttpMethod.Get, "/api/v1/feed?limit=20");
                        using var response = await http.SendAsync(request, cancellationToken);
                        await response.Content.ReadAsByteArrayAsync(cancellationToken);
                        if (!response.IsSuccessStatusCode)
                        {
                            Interlocked.Increment(ref errors);
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
        return ([.. samples], errors, total / clock.Elapsed.TotalSeconds);
    }

    private static async Task<List<BenchUser>> SignUpManyAsync(HttpClient http, string prefix, int count, CancellationToken cancellationToken)
    {
        var users = new BenchUser[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
            users[i] = await BenchUser.SignUpAsync(http, $"{prefix}{i:D5}", ct));
        return [.. users];
    }
}
