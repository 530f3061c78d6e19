using Atrium.Links.Data;
using Atrium.Links.Domain;
using Atrium.Links.Endpoints;
using Atrium.Platform.Data;
using Atrium.Platform.Idempotency;
using Microsoft.Extensions.Options;

namespace Atrium.Links;

/// <summary>Creates links: validates the request, takes a code, stores the link (once per idempotency key).</summary>
internal sealed class LinkShortener(
    IDatabase database,
    LinkCodes codes,
    LinkCache cache,
    IdempotencyKeys idempotency,
    LinksMetrics metrics,
    TimeProvider time,
    IOptions<LinksOptions> options)
{
    public const long MaxVisitsLimit = 1_000_000_000;

    private readonly TargetUrlPolicy _policy = new(options.Value.OwnHosts, options.Value.BlockedHosts);

    public async Task<CreateLinkResult> CreateAsync(
        CreateLinkRequest request, string requestHost, string client, string? idempotencyKey, CancellationToken cancellationToken)
    {
        // Instants are stored as unix milliseconds: cut them to that here, so validation, the idempotency
        // hash and the answer all see what the database will hold.
        var now = ToMilliseconds(time.GetUtcNow());
        if (request.ExpiresAt is { } requestedExpiry)
        {
            request = request with { ExpiresAt = ToMilliseconds(requestedExpiry) };
        }

        var invalid = Validate(request, requestHost, now);
        if (invalid is not null)
        {
            return new CreateLinkResult.Invalid(invalid);
        }

        var code = request.Alias ?? await codes.NextAsync(cancellationToken);
        var link = new Link(code, request.Url, request.Permanent ?? false, now, request.ExpiresAt, request.MaxVisits, 0, null);

        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (idempotencyKey is not null)
        {
            var hash = IdempotencyKeys.Hash($"{request.Url}\n{request.Alias}\n{request.ExpiresAt?.ToUnixTimeMilliseconds()}\n{request.MaxVisits}\n{request.Permanent}");
            var earlier = await idempotency.ClaimAsync(transaction, $"links.create:{client}", idempotencyKey, hash, code, cancellationToken);
            if (earlier is not null)
            {
                await transaction.RollbackAsync(cancellationToken);
                return earlier.RequestHash != hash
                    ? new CreateLinkResult.KeyReused($"The {IdempotencyKeys.Header} was already used with a different request.")
                    : await LinkStore.FindAsync(connection, null, earlier.Resource, cancellationToken) is { } original
                        ? new CreateLinkResult.Created(original, Replayed: true)
                        : new CreateLinkResult.Conflict("The link created under this idempotency key no longer exists.");
            }
        }

        if (!await LinkStore.TryInsertAsync(transaction, link, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            return new CreateLinkResult.Conflict($"The alias '{code}' is already taken.");
        }

        await transaction.CommitAsync(cancellationToken);
        await cache.InvalidateAsync(code, cancellationToken); // drop a cached "no such link"
        metrics.Created.Add(1);
        return new CreateLinkResult.Created(link, Replayed: false);
    }

    private static DateTimeOffset ToMilliseconds(DateTimeOffset instant) =>
        DateTimeOffset.FromUnixTimeMilliseconds(instant.ToUnixTimeMilliseconds());

    private string? Validate(CreateLinkRequest request, string requestHost, DateTimeOffset now)
    {
        if (!_policy.TryValidate(request.Url, requestHost, out var urlError))
        {
            return urlError;
        }

        if (request.Alias is not null && AliasRules.Validate(request.Alias) is { } aliasError)
        {
            return aliasError;
        }

        if (request.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            return "expiresAt must be in the future.";
        }

        if (request.MaxVisits is < 1 or > MaxVisitsLimit)
        {
            return $"maxVisits must be between 1 and {MaxVisitsLimit:N0}.";
        }

        if (request.Permanent == true && (request.ExpiresAt is not null || request.MaxVisits is not null))
        {
            return "A permanent (301) link cannot expire or have a visit limit: browsers cache 301s and would keep following it.";
        }

        return null;
    }
}
