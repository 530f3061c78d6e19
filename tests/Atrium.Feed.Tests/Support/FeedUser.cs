namespace Atrium.Feed.Tests.Support;

/// <summary>A signed-up user and a client that sends their access token.</summary>
public sealed record FeedUser(string Username, HttpClient Client);
