using Atrium.Chat.Data;
using Atrium.Chat.Delivery;
using Atrium.Chat.Domain;
using Atrium.Chat.Protocol;
using Atrium.Platform.Data;
using Microsoft.Extensions.Logging;

namespace Atrium.Chat;

/// <summary>
/// The chat's operations, shared by the socket and HTTP: each writes in one transaction, then pushes what it appended
/// to the recipients' sockets (after commit, best effort — the stream in the database is the truth).
/// </summary>
internal sealed partial class ChatService(
    MessageStore messages, ReceiptStore receipts, ChatViews views, ChatDelivery delivery,
    SendLimiter limiter, IDatabase database, TimeProvider time, ILogger<ChatService> logger)
{
    private readonly Lock _typingGate = new();
    private readonly Dictionary<(long, long), DateTimeOffset> _lastTyping = [];

    public async Task<SendResult> SendAsync(long sender, long conversationId, string? clientMessageId, string? text, CancellationToken ct)
    {
        if (!ClientIds.IsValid(clientMessageId))
        {
            return new SendResult(SendStatus.Invalid, Error: $"clientMessageId must be 1–{ChatLimits.MaxClientMessageIdLength} visible ASCII characters.");
        }

        if (MessageText.Validate(text) is { } error)
        {
            return new SendResult(SendStatus.Invalid, Error: error);
        }

        if (limiter.TryAcquire(sender, conversationId) is { } wait)
        {
            return new SendResult(SendStatus.RateLimited, RetryAfter: wait);
        }

        var outcome = await messages.SendAsync(conversationId, sender, clientMessageId!, text!, PushMessageAsync, ct);
        return outcome switch
        {
            null => new SendResult(SendStatus.NotFound),
            { Duplicate: true } => new SendResult(SendStatus.Duplicate, outcome.Message),
            _ => new SendResult(SendStatus.Sent, outcome.Message),
        };
    }

    /// <summary>Moves the user's read watermark (and delivered with it); false when they are not a member.</summary>
    public async Task<bool> ReadAsync(long userId, long conversationId, long seq, CancellationToken ct)
    {
        var update = await receipts.AdvanceAsync(conversationId, userId, seq, seq, ct);
        await AnnounceAsync(conversationId, update, ct);
        return update.IsMember;
    }

    /// <summary>Applies a batch of cumulative acks: the delivered watermarks of every conversation they cover move.</summary>
    public async Task AcknowledgeAsync(IReadOnlyList<AckRecord> acks, CancellationToken ct)
    {
        foreach (var receipt in await receipts.ApplyAcksAsync(acks, ct))
        {
            await AnnounceAsync(receipt.ConversationId, receipt.Update, ct);
        }
    }

    /// <summary>Pushes a conversation event (rendered per recipient when their socket reads it).</summary>
    public Task AnnounceConversationAsync(IReadOnlyList<StreamTarget> targets, CancellationToken ct) => PushAsync(targets, null, ct);

    /// <summary>
    /// Forwards "typing" to the other members' sockets, at most once per <see cref="ChatLimits.TypingThrottle"/> per user
    /// and conversation; false when the user is not a member.
    /// </summary>
    public async Task<bool> TypingAsync(long userId, long conversationId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        lock (_typingGate)
        {
            if (_lastTyping.TryGetValue((userId, conversationId), out var last) && now - last < ChatLimits.TypingThrottle)
            {
                return true;
            }

            _lastTyping[(userId, conversationId)] = now;
            if (_lastTyping.Count > 10_000)
            {
                foreach (var stale in _lastTyping.Where(p => now - p.Value >= ChatLimits.TypingThrottle).Select(p => p.Key).ToArray())
                {
                    _lastTyping.Remove(stale);
                }
            }
        }

        await using var connection = await database.OpenPrimaryAsync(ct); // membership of a conversation created a moment ago
        var members = await ConversationStore.MemberIdsAsync(connection, conversationId, ct);
        if (!members.Contains(userId))
        {
            return false;
        }

        var frame = ChatJson.Serialize(new TypingFrame(ChatViews.Id(conversationId), await views.UserAsync(userId, ct)));
        await delivery.PushFrameAsync([.. members.Where(m => m != userId)], frame, ct);
        return true;
    }

    private async Task PushMessageAsync(StoredMessage stored, CancellationToken ct) =>
        await PushAsync(stored.Targets, await views.MessageTailAsync(stored.Message, ct), ct);

    private async Task AnnounceAsync(long conversationId, ReceiptUpdate update, CancellationToken ct)
    {
        if (update.Receipt is { } receipt)
        {
            await PushAsync(update.Targets, await views.ReceiptTailAsync(conversationId, receipt, ct), ct);
        }
    }

    private async Task PushAsync(IReadOnlyList<StreamTarget> targets, string? tail, CancellationToken ct)
    {
        try
        {
            await delivery.PushStreamAsync(targets, tail, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPushFailed(logger, ex); // committed: the recipients' sockets catch up from the database
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat: live push failed after commit; sockets will catch up from the database")]
    private static partial void LogPushFailed(ILogger logger, Exception exception);
}
