using Atrium.Faults.Tests.Ledger;
using Atrium.Testing;

namespace Atrium.Faults.Tests.Harness;

/// <summary>
/// A chat sender that behaves like Atrium's web client outbox: each message keeps its <c>clientMessageId</c> and is
/// re-sent (to whichever endpoint is up) until the server answers, so it is stored exactly once; every attempt is a
/// ledger operation. Stops retrying a message once <paramref name="giveUp"/> is cancelled.
/// </summary>
internal static class ReliableSender
{
    public static async Task<Answer?> SendAsync(
        OperationLedger ledger, Func<HttpClient> client, TestUser sender, string conversation, string clientMessageId, CancellationToken giveUp)
    {
        for (var delay = 50; !giveUp.IsCancellationRequested; delay = Math.Min(delay * 2, 500))
        {
            var answer = await AtriumApi.SendMessageAsync(ledger, client(), sender, conversation, clientMessageId, CancellationToken.None);
            if (answer.Outcome == Outcome.Ok || answer.Status is >= 400 and < 500)
            {
                return answer;
            }

            try
            {
                await Task.Delay(delay, giveUp);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return null;
    }
}
