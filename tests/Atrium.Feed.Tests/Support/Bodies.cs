namespace Atrium.Feed.Tests.Support;

public sealed record AuthorBody(string Username, string DisplayName);

public sealed record PostBody(string Id, string Text, DateTimeOffset CreatedAt)
{
    public long NumericId => long.Parse(Id, System.Globalization.CultureInfo.InvariantCulture);
}

public sealed record ItemBody(PostBody Post, AuthorBody Author);

public sealed record FeedBody(List<ItemBody> Items, string? NextCursor, bool Regenerating);

public sealed record PageBody<T>(List<T> Items, string? NextCursor);

public sealed record SocialBody(string Username, string DisplayName, long Followers, long Following, long Posts, bool FollowedByMe, bool IsMe);

public sealed record ProblemBody(string? Title, string? Detail, int Status);
