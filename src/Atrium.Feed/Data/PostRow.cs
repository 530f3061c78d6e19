namespace Atrium.Feed.Data;

/// <summary>A row of <c>feed_posts</c> as Dapper maps it from both drivers (every integer 64-bit, instants unix ms).</summary>
internal sealed record PostRow
{
    public const string Columns = "id AS Id, author_id AS AuthorId, text AS Text, created_at AS CreatedAt, deleted_at AS DeletedAt";

    public long Id { get; init; }

    public long AuthorId { get; init; }

    public string Text { get; init; } = "";

    public long CreatedAt { get; init; }

    public long? DeletedAt { get; init; }

    public bool IsDeleted => DeletedAt is not null;
}
