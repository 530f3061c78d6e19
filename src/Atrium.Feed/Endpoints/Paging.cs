using Atrium.Feed.Domain;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atrium.Feed.Endpoints;

/// <summary>The <c>limit</c> and <c>cursor</c> query parameters every feed list takes, checked the same way.</summary>
internal static class Paging
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 40;

    /// <summary>Null when both are valid (<paramref name="before"/>: ids below it, long.MaxValue without a cursor), else the 400 to answer.</summary>
    public static ProblemHttpResult? Check(int? limit, string? cursor, out int size, out long before)
    {
        size = limit ?? DefaultLimit;
        before = long.MaxValue;
        if (size is < 1 or > MaxLimit)
        {
            return Problems.Validation($"limit must be between 1 and {MaxLimit}.");
        }

        if (cursor is not null && !FeedCursor.TryDecode(cursor, out before))
        {
            return Problems.Validation("cursor is not a cursor this API gave out; pass nextCursor from the previous page unchanged.");
        }

        return null;
    }
}
