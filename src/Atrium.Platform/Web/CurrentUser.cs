using System.Globalization;
using System.Security.Claims;

namespace Atrium.Platform.Web;

/// <summary>The signed-in user's id as every module reads it: the <c>sub</c> claim, a 64-bit id.</summary>
public static class CurrentUser
{
    public const string IdClaim = "sub";
    public const string NameClaim = "name";

    /// <summary>The user's id, or null for an anonymous caller.</summary>
    public static long? UserId(this ClaimsPrincipal principal) =>
        principal.FindFirst(IdClaim)?.Value is { } id && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    /// <summary>The user's id; for endpoints that require <see cref="AuthPolicies.SignedIn"/>.</summary>
    public static long RequiredUserId(this ClaimsPrincipal principal) =>
        principal.UserId() ?? throw new InvalidOperationException("This endpoint requires a signed-in user.");
}
