using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using HdrHistogram;

namespace Atrium.LoadGen;

/// <summary>
/// Requests at a fixed arrival rate whatever the server does: request k is due at start + k / rate and is sent then
/// (or as soon as the generator can), without waiting for earlier answers. Its latency runs from that intended start
/// to the end of its answer, so a stall counts against every request it delays (no coordinated omission); a request
/// that waits for a free connection waits on the clock too.
/// </summary>
internal sealed class OpenLoop(LoadOptions options) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = options.Connections,
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        ConnectTimeout = options.Timeout,
    })
    {
        Timeout = options.Timeout,
    };

    private readonly byte[]? _body = options.Body is null || options.Body.Contains(UniquePlaceholder, StringComparison.Ordinal)
        ? null : Encoding.UTF8.GetBytes(options.Body);

    // "{unique}" in the body becomes a value no other request of this process sends (e.g. an idempotency key: each
    // request is then a new write, not a replay of the first).
    private const string UniquePlaceholder = "{unique}";
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private long _sequence;

    public void Dispose() => _http.Dispose();

    /// <summary>Sends at the rate for <paramref name="duration"/>, then waits for the answers still out.</summary>
    public async Task<LoadResult> RunAsync(TimeSpan duration, CancellationToken ct)
    {
        var latency = new LongConcurrentHistogram(1, (long)options.Timeout.TotalMicroseconds * 2, 3);
        var result = new LoadResult(latency);
        var total = (long)(duration.TotalSeconds * options.Rate);
        var inFlight = new List<Task>((int)Math.Min(total, 10_000_000));
        var start = Stopwatch.GetTimestamp();
        long sent = 0;
        while (sent < total)
        {
            var due = Math.Min(total, (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * options.Rate) + 1);
            while (sent < due)
            {
                var intended = start + (long)(sent * (double)Stopwatch.Frequency / options.Rate);
                inFlight.Add(OneAsync(intended, result, ct));
                sent++;
            }

            await Task.Delay(1, ct);
        }

        var sending = Stopwatch.GetElapsedTime(start);
        await Task.WhenAll(inFlight);
        result.Finish(total, sending, Stopwatch.GetElapsedTime(start));
        return result;
    }

    private async Task OneAsync(long intended, LoadResult result, CancellationToken ct)
    {
        await Task.Yield(); // the scheduler loop keeps its pace; the request runs on the pool
        var ok = false;
        try
        {
            using var request = new HttpRequestMessage(new HttpMethod(options.Method), options.Url);
            foreach (var (name, value) in options.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            var body = _body ?? (options.Body is null ? null : Encoding.UTF8.GetBytes(
                options.Body.Replace(UniquePlaceholder, $"{_run}-{Interlocked.Increment(ref _sequence)}", StringComparison.Ordinal)));
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            var status = (int)response.StatusCode;
            ok = status is >= 200 and < 400;
            result.Status(status);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            result.Failure(ex.GetType().Name);
        }

        result.Record(Stopwatch.GetElapsedTime(intended), ok);
    }
}
