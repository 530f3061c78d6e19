using Microsoft.AspNetCore.Http;

namespace Atrium.Platform.Web;

/// <summary>Who is calling, for rate limits and idempotency scopes: the client address until accounts arrive.</summary>
public static class ClientIdentity
{
    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
