namespace Atrium.Chat.Sockets;

/// <summary>
/// Who a socket's <c>hello</c> signed in, and until when: <see cref="ExpiresAt"/> is the access token's expiry
/// (null for a credential that does not expire, such as an API key). The socket is closed with 4401 then.
/// </summary>
internal sealed record SocketIdentity(long UserId, DateTimeOffset? ExpiresAt);
