using System.Globalization;

namespace Atrium.Testing.Servers;

/// <summary>One PostgreSQL node of a <see cref="PatroniCluster"/>: its Patroni process, its postgres port and REST API port.</summary>
public sealed class PatroniNode
{
    internal PatroniNode(string name, string directory)
    {
        Name = name;
        Directory = directory;
        Port = LoopbackPort.Next();
        RestPort = LoopbackPort.Next();
    }

    public string Name { get; }

    /// <summary>PostgreSQL's port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Patroni's REST API port on 127.0.0.1.</summary>
    public int RestPort { get; }

    public string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>The last lines Patroni and its postgres printed (<see cref="OutputFile"/>).</summary>
    public string LogTail
    {
        get
        {
            try
            {
                return string.Join('\n', File.ReadLines(OutputFile).TakeLast(60));
            }
            catch (IOException)
            {
                return "";
            }
        }
    }

    /// <summary>
    /// Patroni's and its postgres's output. A file, not a pipe to the test: Patroni starts postgres detached (its parent is
    /// pid 1), and a postgres holding the test's pipe would keep the Patroni process's output open after Patroni is gone.
    /// </summary>
    internal string OutputFile => Path.Combine(Directory, "patroni.out");

    internal string Directory { get; }

    internal string ConfigFile => Path.Combine(Directory, "patroni.yml");

    internal ServerProcess? Process { get; set; }

    /// <summary>This node alone (whatever its role), in Npgsql's format.</summary>
    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={database};Timeout=5;Include Error Detail=true";

    /// <summary>The running postmaster's pid (from its <c>postmaster.pid</c>), or null when none runs.</summary>
    public int? PostmasterId()
    {
        var file = Path.Combine(DataDirectory, "postmaster.pid");
        try
        {
            return int.TryParse(File.ReadLines(file).FirstOrDefault(), out var pid) && ProcessTree.IsAlive(pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Runs SQL through psql on this node; returns its unaligned, tuples-only output (an SQL error throws).</summary>
    public async Task<string> QueryAsync(string sql, string database = "postgres", CancellationToken cancellationToken = default)
    {
        var result = await Command.RunCheckedAsync(Psql(sql, database), TimeSpan.FromSeconds(30), cancellationToken);
        return result.StandardOutput.Trim();
    }

    internal System.Diagnostics.ProcessStartInfo Psql(string sql, string database) => Command.For(
        ServerBinaries.Postgres("psql"),
        ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", database, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
        "postgres");

    public override string ToString() => $"{Name} (127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)})";
}
