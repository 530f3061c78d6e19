using Microsoft.AspNetCore.Http;

namespace Atrium.Platform.Web;

/// <summary>Who is calling, for rate limits and idempotency scopes: the signed-in user, else the client address.</summary>
public static class ClientIdentity
{
    public static string Of(HttpContext context) =>
        context.User.UserId() is { } user ? $"user:{user}" : Address(context);

    /// <summary>The client's network address, whoever is signed in.</summary>
    public static string Address(HttpContext context) => $"ip:{context.Connection.RemoteIpAddress?.ToString() ?? "unknown"}";
}
