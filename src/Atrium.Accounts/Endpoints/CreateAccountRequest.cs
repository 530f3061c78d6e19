namespace Atrium.Accounts.Endpoints;

/// <summary>The body of <c>POST /api/v1/accounts</c>; unknown fields are refused.</summary>
/// <param name="Username">3–32 of [a-z0-9_]; capitals A–Z are accepted and lower-cased (usernames are case-insensitive).</param>
/// <param name="Password">10–128 characters; not a common leaked password, not the username.</param>
/// <param name="DisplayName">1–64 characters, no control characters, trimmed; omitted: the username.</param>
public sealed record CreateAccountRequest(string Username, string Password, string? DisplayName = null);
