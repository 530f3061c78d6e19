namespace Atrium.Accounts.Tests.Support;

/// <summary>The API's answers as the tests read them (a client's view, not the server's types).</summary>
public sealed record AccountBody(string Id, string Username, string DisplayName, DateTimeOffset CreatedAt);

public sealed record ProfileBody(string Username, string DisplayName, DateTimeOffset CreatedAt);

public sealed record SessionBody(string AccessToken, DateTimeOffset ExpiresAt, string RefreshToken, DateTimeOffset RefreshExpiresAt);

public sealed record CreatedKeyBody(string Id, string Name, string Key, string Prefix, DateTimeOffset CreatedAt);

public sealed record KeyBody(string Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

public sealed record KeyListBody(IReadOnlyList<KeyBody> Items);

public sealed record ProblemBody(string? Type, string? Title, int? Status, string? Detail);
