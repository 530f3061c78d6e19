using System.Text.Json;
using Atrium.Links.Data;
using Atrium.Links.Domain;
using Atrium.Platform.Idempotency;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Atrium.Links.Endpoints;

/// <summary>The links API under <c>/api/v1/links</c>.</summary>
internal static class LinkApi
{
    public const string CreatePolicy = "links-create";
    public const string ManagePolicy = "links-manage";
    public const int MaxBodyBytes = 8 * 1024;
    public const int MaxStatsDays = 366;
    public const int MaxPageSize = 100;

    public static RouteGroupBuilder MapLinkApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/links").WithTags("Links");
        group.MapPost("/", Create).WithName("CreateLink")
            .RequireAuthorization(AuthPolicies.SignedInOrAnonymous).RequireRateLimiting(CreatePolicy)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .Accepts<CreateLinkRequest>("application/json");

        // Managing a link is for its owner: anyone else, signed in or not, learns nothing (404).
        var owned = group.MapGroup("").RequireAuthorization(AuthPolicies.SignedIn).RequireRateLimiting(ManagePolicy);
        owned.MapGet("/", List).WithName("ListLinks");
        owned.MapGet("/{code}", Get).WithName("GetLink");
        owned.MapPatch("/{code}", Edit).WithName("EditLink")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .Accepts<JsonElement>("application/merge-patch+json", "application/json");
        owned.MapDelete("/{code}", Disable).WithName("DisableLink");
        owned.MapGet("/{code}/stats", Stats).WithName("GetLinkStats");
        return group;
    }

    public static async Task<Results<Created<LinkResponse>, ProblemHttpResult>> Create(
        CreateLinkRequest request,
        HttpContext http,
        LinkShortener shortener,
        IOptions<LinksOptions> options,
        CancellationToken cancellationToken,
        [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey = null)
    {
        if (idempotencyKey is not null && IdempotencyKeys.Validate(idempotencyKey) is { } keyError)
        {
            return Problems.Validation(keyError);
        }

        var owner = http.User.UserId();
        if (owner is null && !options.Value.AllowAnonymous)
        {
            return TypedResults.Problem(
                "Creating links needs a signed-in user (Authorization: Bearer) or an API key (X-Api-Key).",
                statusCode: StatusCodes.Status401Unauthorized, title: "Sign in required");
        }

        var result = await shortener.CreateAsync(request, owner, http.Request.Host.Host, ClientIdentity.Of(http), idempotencyKey, cancellationToken);
        return result switch
        {
            CreateLinkResult.Created created => TypedResults.Created($"/api/v1/links/{created.Link.Code}", ToResponse(created.Link, http, options.Value)),
            CreateLinkResult.Invalid invalid => Problems.Validation(invalid.Message),
            CreateLinkResult.Conflict conflict => Problems.Conflict(conflict.Message),
            CreateLinkResult.KeyReused reused => Problems.Unprocessable(reused.Message),
            _ => throw new InvalidOperationException($"Unhandled result {result}."),
        };
    }

    public static async Task<Results<Ok<LinkPage>, ProblemHttpResult>> List(
        HttpContext http, LinkStore store, IOptions<LinksOptions> options, CancellationToken cancellationToken, int limit = 20, string? cursor = null)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            return Problems.Validation($"limit must be between 1 and {MaxPageSize}.");
        }

        long? before = null;
        if (cursor is not null)
        {
            if (!LinkCursor.TryDecode(cursor, out var id))
            {
                return Problems.Validation("cursor is not a cursor this API gave out; pass nextCursor from the previous page unchanged.");
            }

            before = id;
        }

        var links = await store.ListAsync(http.User.RequiredUserId(), before, limit, cancellationToken);
        var next = links.Count == limit ? LinkCursor.Encode(links[^1]) : null;
        return TypedResults.Ok(new LinkPage(links.Select(l => ToResponse(l, http, options.Value)).ToList(), next));
    }

    public static async Task<Results<Ok<LinkResponse>, ProblemHttpResult>> Get(
        string code, HttpContext http, LinkStore store, IOptions<LinksOptions> options, CancellationToken cancellationToken) =>
        await store.FindAsync(code, cancellationToken) is { } link && link.IsOwnedBy(http.User.UserId())
            ? TypedResults.Ok(ToResponse(link, http, options.Value))
            : NoSuchLink(code);

    public static async Task<Results<Ok<LinkResponse>, ProblemHttpResult>> Edit(
        string code, [FromBody] JsonElement body, HttpContext http, LinkShortener shortener, IOptions<LinksOptions> options, CancellationToken cancellationToken)
    {
        if (LinkPatch.Parse(body, out var error) is not { } patch)
        {
            return Problems.Validation(error!);
        }

        var result = await shortener.EditAsync(code, http.User.RequiredUserId(), patch, http.Request.Host.Host, cancellationToken);
        return result switch
        {
            EditLinkResult.Edited edited => TypedResults.Ok(ToResponse(edited.Link, http, options.Value)),
            EditLinkResult.Invalid invalid => Problems.Validation(invalid.Message),
            _ => NoSuchLink(code),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Disable(
        string code, HttpContext http, LinkStore store, LinkCache cache, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await store.DisableAsync(code, http.User.RequiredUserId(), time.GetUtcNow(), cancellationToken))
        {
            return NoSuchLink(code);
        }

        await cache.InvalidateAsync(code, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<LinkStatsResponse>, ProblemHttpResult>> Stats(
        string code, HttpContext http, LinkStore store, ClickStatsStore stats, TimeProvider time, CancellationToken cancellationToken, int days = 30)
    {
        if (days is < 1 or > MaxStatsDays)
        {
            return Problems.Validation($"days must be between 1 and {MaxStatsDays}.");
        }

        if (await store.FindAsync(code, cancellationToken) is not { } link || !link.IsOwnedBy(http.User.UserId()))
        {
            return NoSuchLink(code);
        }

        var today = time.GetUtcNow().ToUnixTimeSeconds() / 86400;
        var rollup = await stats.GetAsync(code, (today - days + 1) * 86400, top: 10, cancellationToken);
        return TypedResults.Ok(new LinkStatsResponse(
            code,
            days,
            rollup.Total,
            rollup.Total - rollup.Bots,
            rollup.Bots,
            rollup.Days.Select(d => new DailyClicks(DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)d.Day), d.Clicks, d.Clicks - d.Bots, d.Bots)).ToList(),
            rollup.Referrers.Select(r => new ReferrerClicks(r.Name, r.Clicks)).ToList(),
            rollup.Browsers.Select(b => new BrowserClicks(b.Name, b.Clicks)).ToList()));
    }

    private static ProblemHttpResult NoSuchLink(string code) => Problems.NotFound($"You have no link '{code}'.");

    private static LinkResponse ToResponse(Link link, HttpContext http, LinksOptions options)
    {
        var baseUrl = string.IsNullOrEmpty(options.BaseUrl) ? $"{http.Request.Scheme}://{http.Request.Host}" : options.BaseUrl.TrimEnd('/');
        return new LinkResponse(link.Code, $"{baseUrl}/{link.Code}", link.Url, link.CreatedAt, link.ExpiresAt, link.MaxVisits, link.Permanent, link.DisabledAt);
    }
}
