namespace Atrium.Links.Endpoints;

/// <summary>A link as the API shows it.</summary>
public sealed record LinkResponse(
    string Code,
    string ShortUrl,
    string Url,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    long? MaxVisits,
    bool Permanent,
    DateTimeOffset? DisabledAt);
