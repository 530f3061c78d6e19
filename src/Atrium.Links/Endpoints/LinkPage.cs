namespace Atrium.Links.Endpoints;

/// <summary>A page of the caller's links, newest first; pass <c>NextCursor</c> as <c>cursor</c> for the next (null at the end).</summary>
public sealed record LinkPage(IReadOnlyList<LinkResponse> Items, string? NextCursor);
