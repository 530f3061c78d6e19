using System.Collections.Concurrent;
using Atrium.Platform.Data;
using Dapper;

namespace Atrium.Platform.Ids;

/// <summary>
/// Hi/lo sequences: each node leases a block of <see cref="BlockSize"/> consecutive numbers of a named
/// sequence from the database with one atomic update, then hands them out from memory. Numbers of a
/// block a node never used (it stopped) are skipped, never reissued, so no two callers get the same.
/// </summary>
public sealed class IdBlocks(IDatabase database)
{
    public const int BlockSize = 1000;
    private readonly ConcurrentDictionary<string, Sequence> _sequences = new();

    public ValueTask<long> NextAsync(string sequence, CancellationToken cancellationToken) =>
        _sequences.GetOrAdd(sequence, name => new Sequence(name, database)).NextAsync(cancellationToken);

    private sealed class Sequence(string name, IDatabase database)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private long _next;
        private long _end;

        public async ValueTask<long> NextAsync(CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                if (_next >= _end)
                {
                    _end = await LeaseBlockAsync(cancellationToken);
                    _next = _end - BlockSize;
                }

                return _next++;
            }
            finally
            {
                _gate.Release();
            }
        }

        private async Task<long> LeaseBlockAsync(CancellationToken cancellationToken)
        {
            await using var connection = await database.OpenPrimaryAsync(cancellationToken);
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO platform_id_blocks (name, next_value) VALUES (@name, @size)
                ON CONFLICT (name) DO UPDATE SET next_value = platform_id_blocks.next_value + @size
                RETURNING next_value
                """,
                new { name, size = BlockSize }, cancellationToken: cancellationToken));
        }
    }
}
