using System.Data.Common;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Atrium.Platform.Messaging;

/// <summary>
/// Applies one delivery of an event to one consumer, exactly once: the inbox row and the handler's
/// effects commit in one transaction, and a delivery whose id is already in the inbox is skipped.
/// Shared by every transport.
/// </summary>
public sealed class ConsumerRunner(IServiceScopeFactory scopes, TimeProvider time, FailPoints failPoints)
{
    /// <summary>How long a consumer's transaction may sit idle (its node frozen) before PostgreSQL ends it.</summary>
    public static readonly TimeSpan StalledTransactionTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Returns false when the event had already been applied (a duplicate delivery).</summary>
    public async Task<bool> ApplyAsync(
        ConsumerRegistration consumer,
        EventEnvelope envelope,
        DbConnection connection,
        Func<DbTransaction, Task>? alsoInTransaction,
        CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (connection is Npgsql.NpgsqlConnection)
        {
            // A node frozen inside this transaction (SIGSTOP, a VM pause) holds the inbox row's lock, and the node the
            // broker hands the delivery to would wait on it for as long as the freeze lasts: PostgreSQL ends the
            // transaction after this long idle, and the other node applies the event.
            await connection.ExecuteAsync(new CommandDefinition(
                $"SET LOCAL idle_in_transaction_session_timeout = {(long)StalledTransactionTimeout.TotalMilliseconds}",
                transaction: transaction, cancellationToken: cancellationToken));
        }

        var fresh = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO platform_inbox (consumer, event_id, processed_at) VALUES (@consumer, @eventId, @now)
            ON CONFLICT (consumer, event_id) DO NOTHING
            """,
            new { consumer = consumer.Name, eventId = envelope.Id, now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            transaction, cancellationToken: cancellationToken)) == 1;

        if (fresh)
        {
            failPoints.HitConsumer(consumer.Name); // testing aid: a handler that always fails (consumer.throw:<name>)
            await using var scope = scopes.CreateAsyncScope();
            var context = new EventContext(envelope.Id, envelope.OccurredAt, connection, transaction);
            await consumer.Invoke(scope.ServiceProvider, envelope, context, cancellationToken);
        }

        if (alsoInTransaction is not null)
        {
            await alsoInTransaction(transaction);
        }

        await transaction.CommitAsync(cancellationToken);
        return fresh;
    }
}
