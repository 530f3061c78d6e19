using Atrium.Chat.Data;
using Atrium.Chat.Protocol;
using Atrium.Platform.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atrium.Chat.Delivery;

/// <summary>
/// Announces presence changes to the people who share a conversation with the user, throttled per user: at most one
/// announcement per <see cref="ChatOptions.PresenceThrottle"/>, carrying the state at the time it is sent (a user who
/// reconnects within the window causes no flicker). Presence is ephemeral: nothing is stored but the last-seen time.
/// </summary>
internal sealed partial class PresenceNotifier(
    IPresenceRegistry registry, ChatDelivery delivery, StreamStore streams, ChatViews views, IDatabase database,
    IOptions<ChatOptions> options, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<PresenceNotifier> logger)
{
    private readonly Lock _gate = new();
    private readonly HashSet<long> _scheduled = [];
    private readonly Dictionary<long, DateTimeOffset> _lastAnnounced = [];

    public void Changed(long userId)
    {
        TimeSpan delay;
        lock (_gate)
        {
            if (!_scheduled.Add(userId))
            {
                return; // an announcement is due already; it will carry the latest state
            }

            var now = time.GetUtcNow();
            var due = _lastAnnounced.TryGetValue(userId, out var last) ? last + options.Value.PresenceThrottle : now;
            delay = due > now ? due - now : TimeSpan.Zero;
            if (_lastAnnounced.Count > 10_000)
            {
                foreach (var stale in _lastAnnounced.Where(p => now - p.Value > options.Value.PresenceThrottle).Select(p => p.Key).ToArray())
                {
                    _lastAnnounced.Remove(stale);
                }
            }
        }

        _ = AnnounceLaterAsync(userId, delay, lifetime.ApplicationStopping);
    }

    private async Task AnnounceLaterAsync(long userId, TimeSpan delay, CancellationToken ct)
    {
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, time, ct);
            }

            lock (_gate)
            {
                _scheduled.Remove(userId);
                _lastAnnounced[userId] = time.GetUtcNow();
            }

            await AnnounceAsync(userId, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopping
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _scheduled.Remove(userId);
            }

            LogAnnounceFailed(logger, userId, ex);
        }
    }

    private async Task AnnounceAsync(long userId, CancellationToken ct)
    {
        var online = (await registry.OnlineAsync([userId], ct)).Contains(userId);
        // The primary: a replica a moment behind would miss the members of a conversation created just now.
        await using var connection = await database.OpenPrimaryAsync(ct);
        var contacts = await ConversationStore.ContactsAsync(connection, userId, ct);
        if (contacts.Count == 0)
        {
            return;
        }

        DateTimeOffset? lastSeen = null;
        if (!online && (await streams.LastSeenAsync(connection, [userId], ct)).TryGetValue(userId, out var seen))
        {
            lastSeen = seen;
        }

        var frame = ChatJson.Serialize(new PresenceFrame(await views.UserAsync(userId, ct), online, lastSeen));
        await delivery.PushFrameAsync(contacts, frame, ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat: announcing the presence of user {UserId} failed")]
    private static partial void LogAnnounceFailed(ILogger logger, long userId, Exception exception);
}
