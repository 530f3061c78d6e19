namespace Atrium.Accounts.Endpoints;

/// <summary>
/// An account as its owner sees it. <c>id</c> is a 64-bit number written as a decimal string (it does not
/// fit in a JavaScript number); it is the <c>sub</c> claim of the user's access tokens.
/// </summary>
public sealed record AccountResponse(string Id, string Username, string DisplayName, DateTimeOffset CreatedAt);
