using System.Text.Json;
using Atrium.Chat.Data;
using Atrium.Chat.Domain;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Atrium.Chat.Endpoints;

/// <summary>
/// <c>GET /api/v1/sync?since=pos</c>: the caller's stream after a position, for clients without a socket and for
/// catching up in pages. Reads may come from a replica: they return a prefix of the stream, never a gap.
/// </summary>
internal static class SyncApi
{
    public static IEndpointRouteBuilder MapSyncApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/sync", SyncAsync).WithName("ChatSync").WithTags("Chat").RequireAuthorization(AuthPolicies.SignedIn);
        return routes;
    }

    public static async Task<Results<Ok<SyncResponse>, ProblemHttpResult>> SyncAsync(
        HttpContext http, StreamStore streams, ChatViews views, CancellationToken cancellationToken,
        long since = 0, int limit = ChatLimits.DefaultSyncPage)
    {
        if (since < 0)
        {
            return Problems.Validation("since must be 0 or more.");
        }

        if (limit is < 1 or > ChatLimits.MaxSyncPage)
        {
            return Problems.Validation($"limit must be between 1 and {ChatLimits.MaxSyncPage}.");
        }

        var me = http.User.RequiredUserId();
        var rows = await streams.ReadAsync(me, since, limit + 1, primary: false, cancellationToken);

        // Read after the events, from the same server: retention commits its deletes with pruned_pos, so a delete
        // that touched this read shows here. A cursor from before the retained stream gets a reset, not a silent gap.
        var (head, pruned) = await streams.BoundsAsync(me, primary: false, cancellationToken);
        if (since < pruned)
        {
            return TypedResults.Ok(new SyncResponse([], head, false, Reset: true));
        }

        var page = rows.Take(limit).ToArray();
        var frames = await views.EventsAsync(me, page, cancellationToken);
        var events = frames.Select(frame =>
        {
            using var document = JsonDocument.Parse(frame);
            return document.RootElement.Clone();
        }).ToArray();
        return TypedResults.Ok(new SyncResponse(events, page.Length > 0 ? page[^1].Pos : since, rows.Count > limit));
    }
}
