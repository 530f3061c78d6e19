using Atrium.Accounts.Domain;

namespace Atrium.Accounts;

/// <summary>What presenting a refresh token came to: new tokens, or why not.</summary>
internal sealed record RefreshResult(RefreshStatus Status, SessionTokens? Tokens);
