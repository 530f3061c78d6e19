using System.Globalization;
using System.Security.Claims;
using Atrium.Accounts.Authentication;
using Atrium.Accounts.Data;
using Atrium.Accounts.Domain;
using Atrium.Platform.Ids;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Atrium.Accounts.Endpoints;

/// <summary>API keys of the signed-in user: <c>POST/GET /api/v1/api-keys</c>, <c>DELETE /api/v1/api-keys/{id}</c>.</summary>
internal static class ApiKeyApi
{
    public const int MaxBodyBytes = 8 * 1024;
    public const int MaxNameLength = 64;

    public static IEndpointRouteBuilder MapApiKeyApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/api-keys").WithTags("API keys").RequireAuthorization(AuthPolicies.SignedIn);
        group.MapPost("/", Create).WithName("CreateApiKey")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .Accepts<CreateApiKeyRequest>("application/json");
        group.MapGet("/", List).WithName("ListApiKeys");
        group.MapDelete("/{id}", Delete).WithName("DeleteApiKey");
        return routes;
    }

    public static async Task<Results<Created<CreatedApiKeyResponse>, ProblemHttpResult>> Create(
        CreateApiKeyRequest request,
        ClaimsPrincipal user,
        HttpContext http,
        ApiKeyStore store,
        SnowflakeIds ids,
        TimeProvider time,
        IOptions<AccountsOptions> options,
        CancellationToken cancellationToken)
    {
        if (TextRules.ValidateName(request.Name, "name", MaxNameLength, out var name) is { } nameError)
        {
            return Problems.Validation(nameError);
        }

        var key = SecretTokens.NewApiKey();
        var id = ids.Next();
        var createdAt = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var max = options.Value.MaxApiKeysPerUser;
        if (!await store.TryCreateAsync(
                id, user.RequiredUserId(), name, SecretTokens.Hash(key), SecretTokens.DisplayPrefix(key), createdAt.ToUnixTimeMilliseconds(), max,
                cancellationToken))
        {
            return Problems.Conflict($"You already have {max} API keys, the most allowed; delete one you no longer use first.");
        }

        http.Response.Headers.CacheControl = "no-store";
        var idText = id.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Created($"/api/v1/api-keys/{idText}", new CreatedApiKeyResponse(idText, name, key, SecretTokens.DisplayPrefix(key), createdAt));
    }

    public static async Task<Ok<ApiKeyListResponse>> List(ClaimsPrincipal user, ApiKeyStore store, CancellationToken cancellationToken)
    {
        var rows = await store.ListAsync(user.RequiredUserId(), cancellationToken);
        return TypedResults.Ok(new ApiKeyListResponse(rows.Select(row => new ApiKeyResponse(
            row.Id.ToString(CultureInfo.InvariantCulture),
            row.Name,
            row.Prefix,
            DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt),
            row.LastUsedAt is { } used ? DateTimeOffset.FromUnixTimeMilliseconds(used) : null)).ToList()));
    }

    /// <summary>Deletes one of the caller's keys; it stops working at once on this node. Another user's key is "not found".</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string id, ClaimsPrincipal user, ApiKeyStore store, ApiKeyCache cache, ApiKeyUsage usage, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var keyId)
            || await store.DeleteAsync(user.RequiredUserId(), keyId, cancellationToken) is not { } hash)
        {
            return Problems.NotFound($"You have no API key '{id}'.");
        }

        await cache.InvalidateAsync(hash, cancellationToken);
        usage.Forget(keyId);
        return TypedResults.NoContent();
    }
}
