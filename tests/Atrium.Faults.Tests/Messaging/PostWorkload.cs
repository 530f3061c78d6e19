using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Atrium.Faults.Tests.Ledger;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>
/// A second, independent flow of events: feed posts. Each post answered 201 committed its <c>feed.post-created</c>
/// event in the same transaction, and the consumer <c>feed.fan-out-planner</c> writes one inbox row per event it
/// applies, so "the other consumers keep flowing" is checkable as planner inbox rows = acknowledged posts.
/// </summary>
public sealed class PostWorkload(OperationLedger ledger)
{
    public const string Kind = "post.create";
    public const string PlannerConsumer = "feed.fan-out-planner";

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    public long Acknowledged => ledger.Acknowledged(Kind).Count;

    /// <summary>Posts through <paramref name="client"/> (signed in) until <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(HttpClient client, CancellationToken stop, CancellationToken cancellationToken)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var key = $"{ledger.Scenario} post {n}";
            var id = ledger.Invoke(Kind, key);
            try
            {
                using var response = await client.PostAsJsonAsync(new Uri("/api/v1/posts", UriKind.Relative), new { text = key }, cancellationToken);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    ledger.Ok(id, key);
                }
                else
                {
                    ledger.Fail(id, $"HTTP {(int)response.StatusCode}");
                }
            }
            catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                ledger.Fail(id, "connection refused");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                ledger.Unknown(id, ex.GetType().Name + ": " + ex.Message);
            }

            await Task.Delay(Pause, cancellationToken);
        }
    }
}
