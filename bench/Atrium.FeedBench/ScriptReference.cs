using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Atrium.Feed.Data;
using StackExchange.Redis;

namespace Atrium.FeedBench;

/// <summary>
/// The fan-out's reference in the same unit: the timeline store's own push script (read from
/// <see cref="RedisTimelineStore"/>, so it is the script the server runs), loaded into the same Redis and run by
/// <c>redis-benchmark</c> as EVALSHA over one batch of the same followers' timelines, with a fresh member each call.
/// Every call inserts into every timeline of the batch, so inserts per second = calls per second × the batch size.
/// </summary>
internal sealed partial class ScriptReference(string redis, IConnectionMultiplexer connection, int clients)
{
    public sealed record Result(double InsertsPerSecond, double CallsPerSecond, int Calls, int BatchSize);

    public static string Script() =>
        (string)typeof(RedisTimelineStore).GetField("PushScript", BindingFlags.NonPublic | BindingFlags.Static)!.GetRawConstantValue()!;

    public async Task<Result> RunAsync(IReadOnlyList<long> followers, int cap, int calls, CancellationToken cancellationToken)
    {
        var endpoint = connection.GetEndPoints()[0];
        var sha = Convert.ToHexStringLower(await connection.GetServer(endpoint).ScriptLoadAsync(Script()));
        var (host, port) = HostAndPort();
        var arguments = new List<string>
        {
            "-h", host, "-p", port, "-c", clients.ToString(CultureInfo.InvariantCulture), "-n", calls.ToString(CultureInfo.InvariantCulture),
            "-r", "1000000000000", "-q", "EVALSHA", sha, followers.Count.ToString(CultureInfo.InvariantCulture),
        };
        arguments.AddRange(followers.Select(f => (string)RedisTimelineStore.Key(f)!));
        arguments.Add(cap.ToString(CultureInfo.InvariantCulture));
        arguments.Add("__rand_int__");

        var start = new ProcessStartInfo("redis-benchmark") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-benchmark did not start.");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var last = output.Split('\r', '\n').LastOrDefault(l => l.Contains("requests per second", StringComparison.Ordinal)) ?? "";
        var match = RequestsPerSecond().Match(last);
        if (process.ExitCode != 0 || !match.Success)
        {
            throw new InvalidOperationException($"redis-benchmark failed ({process.ExitCode}): {output} {await process.StandardError.ReadToEndAsync(cancellationToken)}");
        }

        var perSecond = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var shown = last[(last.LastIndexOf("__rand_int__", StringComparison.Ordinal) + "__rand_int__".Length)..].Trim(' ', ':');
        Console.WriteLine($"reference: redis-benchmark -c {clients} -n {calls} -r 1000000000000 -q EVALSHA {sha} {followers.Count} <{followers.Count} timeline keys> {cap} __rand_int__: {shown}");
        return new Result(perSecond * followers.Count, perSecond, calls, followers.Count);
    }

    private (string Host, string Port) HostAndPort()
    {
        var colon = redis.LastIndexOf(':');
        return colon < 0 ? (redis, "6379") : (redis[..colon], redis[(colon + 1)..].Split(',')[0]);
    }

    [GeneratedRegex(@"([0-9.]+) requests per second")]
    private static partial Regex RequestsPerSecond();
}
