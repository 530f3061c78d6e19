using Atrium.Links.Data;
using Atrium.Links.Domain;
using Atrium.Links.Endpoints;
using Atrium.Platform.Data;
using Atrium.Platform.Idempotency;
using Atrium.Platform.Ids;
using Microsoft.Extensions.Options;

namespace Atrium.Links;

/// <summary>Creates and edits links: validates, takes a code, stores the link (once per idempotency key).</summary>
internal sealed class LinkShortener(
    IDatabase database,
    LinkStore store,
    LinkCodes codes,
    SnowflakeIds ids,
    LinkCache cache,
    IdempotencyKeys idempotency,
    LinksMetrics metrics,
    TimeProvider time,
    IOptions<LinksOptions> options)
{
    public const long MaxVisitsLimit = 1_000_000_000;

    private readonly TargetUrlPolicy _policy = new(options.Value.OwnHosts, options.Value.BlockedHosts, options.Value.AllowPrivateTargets);

    public async Task<CreateLinkResult> CreateAsync(
        CreateLinkRequest request, long? owner, string requestHost, string client, string? idempotencyKey, CancellationToken cancellationToken)
    {
        // Instants are stored as unix milliseconds: cut them to that here, so validation, the idempotency
        // hash and the answer all see what the database will hold.
        var now = ToMilliseconds(time.GetUtcNow());
        if (request.ExpiresAt is { } requestedExpiry)
        {
            request = request with { ExpiresAt = ToMilliseconds(requestedExpiry) };
        }

        var invalid = request.Alias is not null ? AliasRules.Validate(request.Alias) : null;
        invalid ??= Validate(request.Url, request.ExpiresAt, request.MaxVisits, request.Permanent ?? false, requestHost, now);
        if (invalid is not null)
        {
            return new CreateLinkResult.Invalid(invalid);
        }

        var code = request.Alias ?? await codes.NextAsync(cancellationToken);
        var link = new Link(ids.Next(), code, request.Url, request.Permanent ?? false, now, request.ExpiresAt, request.MaxVisits, 0, null, owner);

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

    /// <summary>Applies <paramref name="patch"/> to <paramref name="owner"/>'s link; null when they have no such link.</summary>
    public async Task<EditLinkResult> EditAsync(string code, long owner, LinkPatch patch, string requestHost, CancellationToken cancellationToken)
    {
        var link = await store.FindOnPrimaryAsync(code, cancellationToken);
        if (link is null || !link.IsOwnedBy(owner))
        {
            return new EditLinkResult.NotFound();
        }

        var now = ToMilliseconds(time.GetUtcNow());
        var edited = link with
        {
            Url = patch.SetsUrl ? patch.Url ?? "" : link.Url,
            ExpiresAt = patch.SetsExpiresAt ? (patch.ExpiresAt is { } e ? ToMilliseconds(e) : null) : link.ExpiresAt,
            MaxVisits = patch.SetsMaxVisits ? patch.MaxVisits : link.MaxVisits,
        };
        var invalid = Validate(
            edited.Url, patch.SetsExpiresAt ? edited.ExpiresAt : null, edited.MaxVisits, edited.Permanent, requestHost, now);
        if (invalid is not null)
        {
            return new EditLinkResult.Invalid(invalid);
        }

        if (!await store.UpdateAsync(edited, owner, cancellationToken))
        {
            return new EditLinkResult.NotFound();
        }

        await cache.InvalidateAsync(code, cancellationToken);
        return new EditLinkResult.Edited(edited);
    }

    private static DateTimeOffset ToMilliseconds(DateTimeOffset instant) =>
        DateTimeOffset.FromUnixTimeMilliseconds(instant.ToUnixTimeMilliseconds());

    /// <summary>The rules every stored link keeps; <paramref name="newExpiry"/> is checked only when it is being set.</summary>
    private string? Validate(string url, DateTimeOffset? newExpiry, long? maxVisits, bool permanent, string requestHost, DateTimeOffset now)
    {
        if (!_policy.TryValidate(url, requestHost, out var urlError))
        {
            return urlError;
        }

        if (newExpiry is { } expiresAt && expiresAt <= now)
        {
            return "expiresAt must be in the future.";
        }

        if (maxVisits is < 1 or > MaxVisitsLimit)
        {
            return $"maxVisits must be between 1 and {MaxVisitsLimit:N0}.";
        }

        if (permanent && (newExpiry is not null || maxVisits is not null))
        {
            return "A permanent (301) link cannot expire or have a visit limit: browsers cache 301s and would keep following it.";
        }

        return null;
    }
}
