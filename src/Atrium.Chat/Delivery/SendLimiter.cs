using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Atrium.Chat.Delivery;

/// <summary>
/// Send limits: a token bucket per user and one per conversation (System.Threading.RateLimiting, in-process: each node
/// enforces them for the sockets and requests it serves; a client spread over N nodes could get up to N times the rate).
/// </summary>
internal sealed class SendLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<long> _perUser;
    private readonly PartitionedRateLimiter<long> _perConversation;

    public SendLimiter(IOptions<ChatOptions> options)
    {
        var chat = options.Value;
        _perUser = Create(chat.UserSendsPerSecond, chat.UserSendBurst);
        _perConversation = Create(chat.ConversationSendsPerSecond, chat.ConversationSendBurst);
    }

    /// <summary>Null when the send may go ahead, else how long to wait.</summary>
    public TimeSpan? TryAcquire(long userId, long conversationId)
    {
        using var user = _perUser.AttemptAcquire(userId);
        if (!user.IsAcquired)
        {
            return RetryAfter(user);
        }

        using var conversation = _perConversation.AttemptAcquire(conversationId);
        return conversation.IsAcquired ? null : RetryAfter(conversation);
    }

    public void Dispose()
    {
        _perUser.Dispose();
        _perConversation.Dispose();
    }

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);

    private static PartitionedRateLimiter<long> Create(int perSecond, int burst) =>
        PartitionedRateLimiter.Create<long, long>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
