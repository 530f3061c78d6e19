namespace Atrium.Links.Endpoints;

/// <summary>The body of <c>POST /api/v1/links</c>. Only <c>url</c> is required; unknown fields are refused.</summary>
/// <param name="Url">Absolute http(s) URL, at most 2,048 characters, stored and redirected to exactly as given.</param>
/// <param name="Alias">Custom code: 3–64 of [A-Za-z0-9_-]; omitted: a generated 7-character code.</param>
/// <param name="ExpiresAt">After this instant the link answers 410.</param>
/// <param name="MaxVisits">After this many redirects the link answers 410.</param>
/// <param name="Permanent">true: 301 (browsers may cache it); false (default): 302.</param>
public sealed record CreateLinkRequest(string Url, string? Alias = null, DateTimeOffset? ExpiresAt = null, long? MaxVisits = null, bool? Permanent = null);
