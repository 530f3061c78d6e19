using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Atrium.Faults.Tests.Ledger;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>
/// The messaging scenarios' workload: redirects of short links. Each redirect answered 302 is a click the system
/// acknowledged; the clicks travel redirect → in-memory buffer → outbox (<c>links.clicks-recorded</c>, one event per
/// batch) → relay → RabbitMQ → <c>links.click-aggregator</c>, which adds them to <c>links_clicks_hourly</c> with a
/// non-idempotent <c>clicks = clicks + n</c>. So the stored count of a link is exactly its acknowledged redirects
/// when every event is applied once; a lost event shows as too few, a twice-applied one as too many.
/// </summary>
public sealed class ClickWorkload(OperationLedger ledger, IReadOnlyList<string> codes)
{
    public const string Kind = "link.redirect";

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(5);

    public IReadOnlyList<string> Codes => codes;

    /// <summary>Creates <paramref name="count"/> links (anonymously) and returns a workload over them.</summary>
    public static async Task<ClickWorkload> CreateAsync(OperationLedger ledger, HttpClient client, int count, CancellationToken cancellationToken)
    {
        var codes = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            using var response = await client.PostAsJsonAsync(
                new Uri("/api/v1/links", UriKind.Relative), new { url = $"https://example.com/faults/{ledger.Scenario}/{i}" }, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"Creating link {i} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            codes.Add(body.GetProperty("code").GetString()!);
        }

        return new ClickWorkload(ledger, codes);
    }

    /// <summary>One redirect of <paramref name="code"/>, recorded in the ledger; true when acknowledged (302).</summary>
    public async Task<bool> RedirectAsync(HttpClient client, string code, CancellationToken cancellationToken)
    {
        var id = ledger.Invoke(Kind, code);
        try
        {
            using var response = await client.GetAsync(new Uri("/" + code, UriKind.Relative), cancellationToken);
            if (response.StatusCode == HttpStatusCode.Found)
            {
                ledger.Ok(id, code);
                return true;
            }

            ledger.Fail(id, $"HTTP {(int)response.StatusCode}");
            return false;
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            ledger.Fail(id, "connection refused"); // never reached the server
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            ledger.Unknown(id, ex.GetType().Name + ": " + ex.Message); // it may have been counted
            return false;
        }
    }

    /// <summary>
    /// Redirects random links through <paramref name="client"/> from <paramref name="drivers"/> concurrent loops
    /// until <paramref name="stop"/> is cancelled, each pausing <see cref="Pause"/> between redirects (a steady load
    /// that leaves the 2-core test machines room for the nodes' own work). An in-flight redirect is finished, not
    /// abandoned, at the stop.
    /// </summary>
    public async Task RunAsync(HttpClient client, int drivers, CancellationToken stop, CancellationToken cancellationToken)
    {
        await Task.WhenAll(Enumerable.Range(0, drivers).Select(async driver =>
        {
            var random = new Random(driver * 7919 + codes.Count);
            while (!stop.IsCancellationRequested)
            {
                await RedirectAsync(client, codes[random.Next(codes.Count)], cancellationToken);
                await Task.Delay(Pause, cancellationToken);
            }
        }));
    }

    /// <summary>Acknowledged redirects so far.</summary>
    public long Acknowledged => ledger.Acknowledged(Kind).Count;
}
