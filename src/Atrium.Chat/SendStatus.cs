namespace Atrium.Chat;

/// <summary>How a send ended.</summary>
internal enum SendStatus
{
    /// <summary>Stored now.</summary>
    Sent,

    /// <summary>A retry: the message stored by the earlier send with the same client message id.</summary>
    Duplicate,

    /// <summary>No such conversation, or the sender is not a member.</summary>
    NotFound,

    /// <summary>The text or client message id broke a rule (see <see cref="SendResult.Error"/>).</summary>
    Invalid,

    /// <summary>Over the per-user or per-conversation limit (see <see cref="SendResult.RetryAfter"/>).</summary>
    RateLimited,
}
