using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Atrium.Faults.Tests.Ledger;

namespace Atrium.Faults.Tests.Harness;

/// <summary>
/// Sends one HTTP request as a ledger operation and classifies the answer the way a careful client must:
/// <list type="bullet">
/// <item>Ok: a success answer (2xx, or a 3xx for a redirect);</item>
/// <item>Failed: a definite refusal: a 4xx or 503 (the server or the gateway answered that it did not do it), or a
/// connection refused (the request never reached a server);</item>
/// <item>Unknown: no definite answer: a timeout, a connection reset, a 502/504 from the gateway, any other 5xx.</item>
/// </list>
/// </summary>
internal static class RecordedHttp
{
    public static async Task<Answer> SendAsync(
        OperationLedger ledger,
        string kind,
        string key,
        HttpClient client,
        Func<HttpRequestMessage> request,
        Func<HttpResponseMessage, string, string?> value,
        CancellationToken cancellationToken)
    {
        var id = ledger.Invoke(kind, key);
        var started = Stopwatch.StartNew();
        try
        {
            using var message = request();
            using var response = await client.SendAsync(message, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = (int)response.StatusCode;
            var location = response.Headers.Location?.ToString();
            var elapsed = started.Elapsed;
            switch (status)
            {
                case >= 200 and < 400:
                    ledger.Ok(id, value(response, body));
                    return new Answer(id, Outcome.Ok, status, body, location, elapsed, null);
                case (>= 400 and < 500) or 503:
                    ledger.Fail(id, $"{status} {Shorten(body)}");
                    return new Answer(id, Outcome.Failed, status, body, location, elapsed, $"{status}");
                default:
                    ledger.Unknown(id, $"{status} {Shorten(body)}");
                    return new Answer(id, Outcome.Unknown, status, body, location, elapsed, $"{status}");
            }
        }
        catch (HttpRequestException ex) when (IsRefused(ex))
        {
            ledger.Fail(id, "connection refused");
            return new Answer(id, Outcome.Failed, 0, "", null, started.Elapsed, "connection refused");
        }
        catch (HttpRequestException ex)
        {
            ledger.Unknown(id, ex.Message);
            return new Answer(id, Outcome.Unknown, 0, "", null, started.Elapsed, ex.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ledger.Unknown(id, "client timeout");
            return new Answer(id, Outcome.Unknown, 0, "", null, started.Elapsed, "timeout");
        }
    }

    /// <summary>A JSON property of the body as text (strings as they are, numbers as written).</summary>
    public static string? Property(string body, string name)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty(name, out var property)
            ? property.ValueKind == JsonValueKind.String ? property.GetString() : property.GetRawText()
            : null;
    }

    private static bool IsRefused(HttpRequestException ex) =>
        ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };

    private static string Shorten(string body) => body.Length <= 200 ? body : body[..200];
}
