using Atrium.Testing;

namespace Atrium.Chat.Tests.Support;

/// <summary>A signed-up user and an HTTP client that sends their access token.</summary>
public sealed record ChatUser(TestUser User, HttpClient Http)
{
    public string Username => User.Username;
}
