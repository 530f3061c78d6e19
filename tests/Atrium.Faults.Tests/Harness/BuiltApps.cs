using System.Reflection;

namespace Atrium.Faults.Tests.Harness;

/// <summary>Where the built apps are: the server next to this assembly, the gateway in its own project's bin folder.</summary>
internal static class BuiltApps
{
    /// <summary>Atrium.Server.dll, copied next to the tests by the Atrium.Testing reference.</summary>
    public static string Server
    {
        get
        {
            var server = Path.Combine(AppContext.BaseDirectory, "Atrium.Server.dll");
            return File.Exists(server) ? server : throw new FileNotFoundException("Atrium.Server.dll is not next to the test assembly.", server);
        }
    }

    /// <summary>src/Atrium.Gateway/bin/&lt;configuration&gt;/net10.0/Atrium.Gateway.dll (built first: a project reference).</summary>
    public static string Gateway
    {
        get
        {
            var configuration = typeof(BuiltApps).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
            var framework = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                foreach (var candidate in new[] { configuration, "Release", "Debug" }.Distinct())
                {
                    var path = Path.Combine(directory.FullName, "src", "Atrium.Gateway", "bin", candidate, framework, "Atrium.Gateway.dll");
                    if (File.Exists(path))
                    {
                        return path;
                    }
                }
            }

            throw new FileNotFoundException("Atrium.Gateway.dll was not found under src/Atrium.Gateway/bin: build the test project (it references the gateway).");
        }
    }
}
