namespace Atrium.Accounts;

/// <summary>What a sign-in came to.</summary>
internal abstract record SignInResult
{
    public sealed record SignedIn(SessionTokens Tokens) : SignInResult;

    /// <summary>Wrong username or wrong password: deliberately not told apart.</summary>
    public sealed record Failed : SignInResult;

    public sealed record Throttled(TimeSpan RetryAfter) : SignInResult;
}
