using System.Data.Common;
using Atrium.Links.Domain;
using Atrium.Platform.Data;
using Dapper;

namespace Atrium.Links.Data;

/// <summary>SQL over <c>links_links</c>; the same statements run on SQLite and PostgreSQL.</summary>
internal sealed class LinkStore(IDatabase database)
{
    /// <summary>Inserts a new link; false when the code is already taken.</summary>
    public static async Task<bool> TryInsertAsync(DbTransaction transaction, Link link, CancellationToken cancellationToken) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO links_links (id, code, url, permanent, created_at, expires_at, max_visits, visits, owner_id)
            VALUES (@Id, @Code, @Url, @permanent, @createdAt, @expiresAt, @MaxVisits, 0, @OwnerId)
            ON CONFLICT (code) DO NOTHING
            """,
            new
            {
                link.Id,
                link.Code,
                link.Url,
                permanent = link.Permanent ? 1 : 0,
                createdAt = link.CreatedAt.ToUnixTimeMilliseconds(),
                expiresAt = link.ExpiresAt?.ToUnixTimeMilliseconds(),
                link.MaxVisits,
                link.OwnerId,
            },
            transaction, cancellationToken: cancellationToken)) == 1;

    /// <summary>The link from a replica (may lag the primary by a moment; its owner's reads are pinned to the primary after a write).</summary>
    public async Task<Link?> FindAsync(string code, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        return await FindAsync(connection, null, code, cancellationToken);
    }

    /// <summary>
    /// The link from the primary: for what must not be stale whoever asks — filling the redirect cache (a fill
    /// from a lagging replica would cache "no such link" for a code just created, or a just-edited or disabled
    /// link, for the cache's lifetime: the cache, not the replicas, scales redirects), the preview page, and
    /// read-modify-write edits.
    /// </summary>
    public async Task<Link?> FindOnPrimaryAsync(string code, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        return await FindAsync(connection, null, code, cancellationToken);
    }

    public static async Task<Link?> FindAsync(DbConnection connection, DbTransaction? transaction, string code, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<LinkRow>(new CommandDefinition(
            $"SELECT {LinkRow.Columns} FROM links_links WHERE code = @code", new { code }, transaction, cancellationToken: cancellationToken));
        return row?.ToLink();
    }

    /// <summary>Disables <paramref name="owner"/>'s link; false when they have no such link. Disabling twice keeps the first time.</summary>
    public async Task<bool> DisableAsync(string code, long owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE links_links SET disabled_at = COALESCE(disabled_at, @now) WHERE code = @code AND owner_id = @owner",
            new { code, owner, now = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Replaces the editable fields of <paramref name="owner"/>'s link; false when they have no such link.</summary>
    public async Task<bool> UpdateAsync(Link link, long owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE links_links SET url = @Url, expires_at = @expiresAt, max_visits = @MaxVisits WHERE code = @Code AND owner_id = @owner",
            new { link.Code, link.Url, expiresAt = link.ExpiresAt?.ToUnixTimeMilliseconds(), link.MaxVisits, owner },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// <paramref name="owner"/>'s links, newest first, older than the link with id <paramref name="before"/>
    /// (keyset pagination: no offsets, no gaps or repeats while links are added).
    /// </summary>
    public async Task<IReadOnlyList<Link>> ListAsync(long owner, long? before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        var rows = await connection.QueryAsync<LinkRow>(new CommandDefinition(
            $"""
            SELECT {LinkRow.Columns} FROM links_links
            WHERE owner_id = @owner AND id < @before
            ORDER BY id DESC
            LIMIT @limit
            """,
            new { owner, before = before ?? long.MaxValue, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToLink()).ToList();
    }

    /// <summary>
    /// Counts one visit of a link with a visit limit, atomically: true when the visit was within the
    /// limit (redirect), false when the limit was already reached (gone).
    /// </summary>
    public async Task<bool> TryCountVisitAsync(string code, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE links_links SET visits = visits + 1 WHERE code = @code AND visits < max_visits",
            new { code }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Visits left on a limited link, read from the primary (HEAD checks without counting).</summary>
    public async Task<long> VisitsLeftAsync(string code, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COALESCE(max_visits - visits, 0) FROM links_links WHERE code = @code",
            new { code }, cancellationToken: cancellationToken));
    }
}
