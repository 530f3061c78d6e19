using System.Globalization;
using System.Security.Cryptography;
using Atrium.Platform.Data;
using Dapper;

namespace Atrium.Links.Data;

/// <summary>
/// The key of the code permutation. It must never change once codes exist (a new key could map a new
/// id onto an old code), so it is generated once, stored, and read by every node.
/// </summary>
internal sealed class CodecKeyStore(IDatabase database)
{
    public async Task<ulong> GetOrCreateAsync(CancellationToken cancellationToken)
    {
        var candidate = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)).ToString("x16", CultureInfo.InvariantCulture);
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO links_secrets (name, value) VALUES ('codec-key', @candidate) ON CONFLICT (name) DO NOTHING",
            new { candidate }, cancellationToken: cancellationToken));
        var stored = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT value FROM links_secrets WHERE name = 'codec-key'", cancellationToken: cancellationToken));
        return ulong.Parse(stored!, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
