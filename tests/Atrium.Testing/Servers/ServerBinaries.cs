namespace Atrium.Testing.Servers;

/// <summary>Finds the servers' executables from the Debian packages, or says which package to install.</summary>
internal static class ServerBinaries
{
    private static readonly Lazy<string> PostgresBin = new(FindPostgresBin);

    /// <summary>
    /// Debian keeps the PostgreSQL server tools off PATH, in /usr/lib/postgresql/VERSION/bin; the highest installed
    /// version wins. Elsewhere (a non-Debian developer machine) initdb on PATH is used.
    /// </summary>
    public static string Postgres(string tool) => Path.Combine(PostgresBin.Value, tool);

    /// <summary>An executable in one of <paramref name="candidates"/> (absolute) or on PATH.</summary>
    public static string Find(string name, string package, params string[] candidates)
    {
        var path = candidates.Concat(SearchPath(name)).FirstOrDefault(File.Exists);
        return path ?? throw Missing(name, package);
    }

    private static string FindPostgresBin()
    {
        const string Root = "/usr/lib/postgresql";
        var versioned = Directory.Exists(Root)
            ? Directory.GetDirectories(Root)
                .Where(dir => int.TryParse(Path.GetFileName(dir), out _) && File.Exists(Path.Combine(dir, "bin", "initdb")))
                .OrderByDescending(dir => int.Parse(Path.GetFileName(dir)))
                .Select(dir => Path.Combine(dir, "bin"))
            : [];
        var bin = versioned.Concat(SearchPath("initdb").Select(Path.GetDirectoryName).OfType<string>()).FirstOrDefault();
        return bin ?? throw Missing("initdb", "postgresql");
    }

    private static IEnumerable<string> SearchPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin:/usr/sbin:/sbin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name));

    private static FileNotFoundException Missing(string name, string package) =>
        new($"{name} was not found: install the Debian package '{package}' (scripts/install-deps.sh does: apt-get install -y postgresql redis-server rabbitmq-server).", name);
}
