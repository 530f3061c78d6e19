using Atrium.Platform.Messaging;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Atrium.Platform.Endpoints;

/// <summary>Operator endpoints over the dead-letter queue: list (cursor-paged) and replay.</summary>
internal static class DeadLetterApi
{
    public const int MaxPageSize = 200;

    public static RouteGroupBuilder MapDeadLetterApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/admin/dead-letters")
            .WithTags("Admin")
            .AddEndpointFilter<AdminAccessFilter>();
        group.MapGet("/", List).WithName("ListDeadLetters");
        group.MapPost("/{id:long}/replay", Replay).WithName("ReplayDeadLetter");
        return group;
    }

    public static async Task<Results<Ok<DeadLetterPage>, ProblemHttpResult>> List(
        IDeadLetters deadLetters, CancellationToken cancellationToken, long after = 0, int limit = 50)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            return Problems.Validation($"limit must be between 1 and {MaxPageSize}.");
        }

        var items = await deadLetters.ListAsync(after, limit, cancellationToken);
        var next = items.Count == limit ? items[^1].Id : (long?)null;
        return TypedResults.Ok(new DeadLetterPage(items, next));
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> Replay(long id, IDeadLetters deadLetters, CancellationToken cancellationToken) =>
        await deadLetters.ReplayAsync(id, cancellationToken)
            ? TypedResults.Accepted((string?)null)
            : Problems.NotFound($"There is no dead letter {id}.");
}
