namespace Atrium.Chat;

/// <summary>Settings of the chat (<c>Chat</c> section). Defaults are the limits documented in docs/chat-protocol.md.</summary>
public sealed class ChatOptions
{
    /// <summary>Messages a user may send per second (token bucket refill), and the burst allowed.</summary>
    public int UserSendsPerSecond { get; set; } = 20;

    public int UserSendBurst { get; set; } = 40;

    /// <summary>Messages one conversation accepts per second from all its members, and the burst allowed.</summary>
    public int ConversationSendsPerSecond { get; set; } = 50;

    public int ConversationSendBurst { get; set; } = 100;

    /// <summary>How long a new socket may take to send <c>hello</c> before it is closed with 4401.</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an idle socket re-reads its stream from the database (heals a lost pub/sub nudge).</summary>
    public TimeSpan CatchUpInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often acknowledgements are applied to the delivered watermarks (they are coalesced in between).</summary>
    public TimeSpan AckFlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Presence changes of one user are announced at most once per this interval (the latest state wins).</summary>
    public TimeSpan PresenceThrottle { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A node refreshes its presence entries this often; an entry lives <see cref="PresenceTtl"/> without a refresh.</summary>
    public TimeSpan PresenceHeartbeat { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan PresenceTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Frames a socket may have queued for sending before it is closed as a slow consumer (1013).</summary>
    public int OutboxCapacity { get; set; } = 1024;

    /// <summary>
    /// Stream events acknowledged by every device of the user (named devices seen within the window) are kept this long,
    /// then deleted; a resume from before the retained part is answered with <c>reset</c> (docs/chat-protocol.md).
    /// </summary>
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the retention sweep runs.</summary>
    public TimeSpan EventSweepInterval { get; set; } = TimeSpan.FromMinutes(10);
}
