using Atrium.Platform.Data;
using Dapper;

namespace Atrium.Chat.Data;

/// <summary>
/// Deletes the part of each user's event stream that is delivered everywhere and older than the retention window:
/// events up to the user's delivered position (a device acknowledged them, so their receipts are done), up to the
/// lowest position acknowledged by the user's named devices seen within the window (a device idle for longer is not
/// waited for: it resumes with a reset), and created before the window. <c>chat_user_heads.pruned_pos</c> records how
/// far, in the same transaction, so a cursor from before it is recognised as too old.
/// </summary>
internal sealed class StreamRetention(IDatabase database, ChatWriteGate gate)
{
    /// <summary>At most this many events are deleted per statement (short transactions, bounded WAL per commit).</summary>
    private const int DeleteBatch = 5000;

    /// <summary>Prunes the streams of up to <paramref name="users"/> users after <paramref name="afterUserId"/>; returns the last user looked at (0: done).</summary>
    public async Task<(long LastUserId, long Deleted)> PruneAsync(long afterUserId, int users, long cutoff, CancellationToken ct)
    {
        List<(long UserId, long DeliveredPos, long PrunedPos)> heads;
        await using (var connection = await database.OpenPrimaryAsync(ct))
        {
            heads = (await connection.QueryAsync<(long, long, long)>(new CommandDefinition(
                """
                SELECT user_id, delivered_pos, pruned_pos FROM chat_user_heads
                WHERE user_id > @afterUserId AND delivered_pos > pruned_pos
                ORDER BY user_id LIMIT @users
                """,
                new { afterUserId, users }, cancellationToken: ct))).AsList();
        }

        long deleted = 0;
        foreach (var head in heads)
        {
            deleted += await PruneUserAsync(head.UserId, head.DeliveredPos, head.PrunedPos, cutoff, ct);
        }

        return (heads.Count < users ? 0 : heads[^1].UserId, deleted);
    }

    private async Task<long> PruneUserAsync(long userId, long deliveredPos, long prunedPos, long cutoff, CancellationToken ct)
    {
        long upTo;
        await using (var connection = await database.OpenPrimaryAsync(ct))
        {
            var devices = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                "SELECT MIN(acked_pos) FROM chat_devices WHERE user_id = @userId AND seen_at >= @cutoff",
                new { userId, cutoff }, cancellationToken: ct));
            var everywhere = Math.Min(deliveredPos, devices ?? long.MaxValue);
            var old = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                "SELECT MAX(pos) FROM chat_user_events WHERE user_id = @userId AND pos > @prunedPos AND pos <= @everywhere AND created_at < @cutoff",
                new { userId, prunedPos, everywhere, cutoff }, cancellationToken: ct));
            if (old is not { } last)
            {
                return 0;
            }

            upTo = last;
        }

        long deleted = 0;
        for (var from = prunedPos; from < upTo;)
        {
            var to = Math.Min(upTo, from + DeleteBatch);
            using var turn = await gate.EnterAsync(ct);
            await using var connection = await database.OpenPrimaryAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            deleted += await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM chat_user_events WHERE user_id = @userId AND pos > @from AND pos <= @to",
                new { userId, from, to }, transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE chat_user_heads SET pruned_pos = @to WHERE user_id = @userId AND pruned_pos < @to",
                new { userId, to }, transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
            from = to;
        }

        return deleted;
    }
}
