using Npgsql;

namespace Atrium.Platform.Data;

/// <summary>
/// Reads the PostgreSQL connection settings. <c>ConnectionStrings:PostgresReplicas</c> is a comma-separated list of
/// connection strings, and a connection string may itself hold a comma-separated host list
/// (<c>Host=127.0.0.1:5433,127.0.0.1:5434;Target Session Attributes=prefer-standby</c>): a comma starts a new connection
/// string only where the next text begins with a <c>key=</c> pair, so a host after a comma stays in its host list.
/// </summary>
internal static class PostgresConnectionStrings
{
    /// <summary>
    /// How long Npgsql trusts what it learnt of a host's role (primary, standby, offline) in a multi-host connection
    /// string that does not say (<c>Host Recheck Seconds</c>; Npgsql's default is 10 s). 1 s: after a failover the
    /// promoted standby is tried as the primary within a second of its promotion, not up to 10 s later; the cost is one
    /// role query per host per second at most, on connections being opened anyway.
    /// </summary>
    public const int MultiHostRecheckSeconds = 1;

    /// <summary>Splits the replicas setting into one connection string per replica pool.</summary>
    public static IReadOnlyList<string> SplitReplicas(string? setting)
    {
        var replicas = new List<string>();
        foreach (var piece in (setting ?? "").Split(',', StringSplitOptions.TrimEntries))
        {
            if (replicas.Count > 0 && !StartsWithKey(piece))
            {
                replicas[^1] = $"{replicas[^1]},{piece}"; // another host of the same Host list
            }
            else if (piece.Length > 0)
            {
                replicas.Add(piece);
            }
        }

        return replicas;
    }

    /// <summary>True when the connection string lists more than one host (Npgsql then picks by Target Session Attributes).</summary>
    public static bool IsMultiHost(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString).Host?.Contains(',', StringComparison.Ordinal) == true;

    /// <summary>
    /// The connection string Atrium opens: <paramref name="maxPoolSize"/> unless it says its own, and on a multi-host
    /// string <see cref="MultiHostRecheckSeconds"/> unless it says its own.
    /// </summary>
    public static string Complete(string connectionString, int maxPoolSize)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Says(connectionString, "Maximum Pool Size", "MaxPoolSize"))
        {
            builder.MaxPoolSize = maxPoolSize;
        }

        if (IsMultiHost(connectionString) && !Says(connectionString, "Host Recheck Seconds", "HostRecheckSeconds"))
        {
            builder.HostRecheckSeconds = MultiHostRecheckSeconds;
        }

        return builder.ConnectionString;
    }

    /// <summary>host:port, or the host list of a multi-host string, for logs (never the password).</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return IsMultiHost(connectionString) ? builder.Host! : $"{builder.Host}:{builder.Port}";
    }

    private static bool StartsWithKey(string piece)
    {
        var end = piece.IndexOf(';', StringComparison.Ordinal);
        return (end < 0 ? piece : piece[..end]).Contains('=', StringComparison.Ordinal);
    }

    private static bool Says(string connectionString, params string[] keys) =>
        keys.Any(key => connectionString.Contains(key, StringComparison.OrdinalIgnoreCase));
}
