namespace Atrium.Testing;

/// <summary>Fresh directories under the system temp folder for one test's data.</summary>
public static class TempDirectory
{
    public static string Create(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}
