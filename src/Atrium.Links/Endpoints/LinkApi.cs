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

    public static RouteGroupBuilder MapLinkApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/links").WithTags("Links");
        group.MapPost("/", Create).WithName("CreateLink").RequireRateLimiting(CreatePolicy)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .Accepts<CreateLinkRequest>("application/json");
        group.MapGet("/{code}", Get).WithName("GetLink").RequireRateLimiting(ManagePolicy);
        group.MapDelete("/{code}", Disable).WithName("DisableLink").RequireRateLimiting(ManagePolicy);
        group.MapGet("/{code}/stats", Stats).WithName("GetLinkStats").RequireRateLimiting(ManagePolicy);
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

        var result = await shortener.CreateAsync(request, http.Request.Host.Host, ClientIdentity.Of(http), idempotencyKey, cancellationToken);
        return result switch
        {
            CreateLinkResult.Created created => TypedResults.Created($"/api/v1/links/{created.Link.Code}", ToResponse(created.Link, http, options.Value)),
            CreateLinkResult.Invalid invalid => Problems.Validation(invalid.Message),
            CreateLinkResult.Conflict conflict => Problems.Conflict(conflict.Message),
            CreateLinkResult.KeyReused reused => Problems.Unprocessable(reused.Message),
            _ => throw new InvalidOperationException($"Unhandled result {result}."),
        };
    }

    public static async Task<Results<Ok<LinkResponse>, ProblemHttpResult>> Get(
        string code, HttpContext http, LinkStore store, IOptions<LinksOptions> options, CancellationToken cancellationToken) =>
        await store.FindAsync(code, cancellationToken) is { } link
            ? TypedResults.Ok(ToResponse(link, http, options.Value))
            : NoSuchLink(code);

    public static async Task<Results<NoContent, ProblemHttpResult>> Disable(
        string code, LinkStore store, LinkCache cache, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await store.DisableAsync(code, time.GetUtcNow(), cancellationToken))
        {
            return NoSuchLink(code);
        }

        await cache.InvalidateAsync(code, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<LinkStatsResponse>, ProblemHttpResult>> Stats(
        string code, LinkStore store, ClickStatsStore stats, TimeProvider time, CancellationToken cancellationToken, int days = 30)
    {
        if (days is < 1 or > MaxStatsDays)
        {
            return Problems.Validation($"days must be between 1 and {MaxStatsDays}.");
        }

        if (await store.FindAsync(code, cancellationToken) is null)
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

    private static ProblemHttpResult NoSuchLink(string code) => Problems.NotFound($"There is no link '{code}'.");

    private static LinkResponse ToResponse(Link link, HttpContext http, LinksOptions options)
    {
        var baseUrl = string.IsNullOrEmpty(options.BaseUrl) ? $"{http.Request.Scheme}://{http.Request.Host}" : options.BaseUrl.TrimEnd('/');
        return new LinkResponse(link.Code, $"{baseUrl}/{link.Code}", link.Url, link.CreatedAt, link.ExpiresAt, link.MaxVisits, link.Permanent, link.DisabledAt);
    }
}
