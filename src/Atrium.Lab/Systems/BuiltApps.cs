using System.Reflection;

namespace Atrium.Lab.Systems;

/// <summary>
/// Where the built Atrium.Server and Atrium.Gateway are: <c>src/&lt;App&gt;/bin/&lt;Configuration&gt;/net10.0/</c>
/// of the repository this Lab was built in (the Lab's project references build them first).
/// </summary>
internal static class BuiltApps
{
    public static string Server => Find("Atrium.Server");

    public static string Gateway => Find("Atrium.Gateway");

    private static string Find(string app)
    {
        var configuration = typeof(BuiltApps).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var framework = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            foreach (var candidate in new[] { configuration, "Release", "Debug" }.Distinct())
            {
                var path = Path.Combine(directory.FullName, "src", app, "bin", candidate, framework, $"{app}.dll");
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        throw new FileNotFoundException($"{app}.dll was not found under src/{app}/bin: build it (dotnet build src/{app} -c Release).");
    }
}
