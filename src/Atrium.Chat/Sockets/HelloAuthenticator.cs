using System.Globalization;
using System.Security.Claims;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Atrium.Chat.Sockets;

/// <summary>
/// Checks the access token of a <c>hello</c> frame exactly as an HTTP request's <c>Authorization: Bearer</c> header is
/// checked: through the authentication schemes of the <see cref="AuthPolicies.SignedIn"/> policy (so Chat needs no
/// reference to Accounts, and a token every node accepts for HTTP is accepted here). It also reads when the token
/// expires, so the socket does not outlive it.
/// </summary>
internal sealed class HelloAuthenticator(IAuthorizationPolicyProvider policies)
{
    private const string ExpiryClaim = "exp";

    /// <summary>The user the token signs in and its expiry, or null when it signs in nobody.</summary>
    public async Task<SocketIdentity?> AuthenticateAsync(HttpContext upgrade, string token)
    {
        var policy = await policies.GetPolicyAsync(AuthPolicies.SignedIn)
            ?? throw new InvalidOperationException($"The {AuthPolicies.SignedIn} policy is not registered.");
        var probe = new DefaultHttpContext { RequestServices = upgrade.RequestServices, RequestAborted = upgrade.RequestAborted };
        probe.Request.Headers.Authorization = $"Bearer {token}";
        foreach (var scheme in policy.AuthenticationSchemes)
        {
            var result = await probe.AuthenticateAsync(scheme);
            if (result.Succeeded && result.Principal.UserId() is { } userId)
            {
                return new SocketIdentity(userId, result.Properties?.ExpiresUtc ?? ExpiryOf(result.Principal));
            }
        }

        return null;
    }

    /// <summary>The JWT <c>exp</c> claim (seconds since the epoch), when the scheme did not set the ticket's expiry.</summary>
    private static DateTimeOffset? ExpiryOf(ClaimsPrincipal principal) =>
        principal.FindFirst(ExpiryClaim)?.Value is { } exp && long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
