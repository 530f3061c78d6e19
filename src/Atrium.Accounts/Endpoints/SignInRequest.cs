namespace Atrium.Accounts.Endpoints;

/// <summary>The body of <c>POST /api/v1/sessions</c>. The username is case-insensitive.</summary>
public sealed record SignInRequest(string Username, string Password);
