using Atrium.Platform.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Atrium.Chat.Sockets;

/// <summary>
/// Checks the access token of a <c>hello</c> frame exactly as an HTTP request's <c>Authorization: Bearer</c> header is
/// checked: through the authentication schemes of the <see cref="AuthPolicies.SignedIn"/> policy (so Chat needs no
/// reference to Accounts, and a token every node accepts for HTTP is accepted here).
/// </summary>
internal sealed class HelloAuthenticator(IAuthorizationPolicyProvider policies)
{
    /// <summary>The user id the token signs in, or null when it signs in nobody.</summary>
    public async Task<long?> AuthenticateAsync(HttpContext upgrade, string token)
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
                return userId;
            }
        }

        return null;
    }
}
