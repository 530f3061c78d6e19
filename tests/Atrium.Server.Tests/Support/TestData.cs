namespace Atrium.Server.Tests.Support;

/// <summary>Fresh names for each test's data, and clean-up of throwaway data directories.</summary>
internal static class TestData
{
    /// <summary>A unique custom alias: the prefix, a '-' (so never a 7-character generated code) and 12 hex digits.</summary>
    public static string Alias(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>A unique target URL.</summary>
    public static string Url(string path = "page") => $"https://example.com/{path}/{Guid.NewGuid():N}";

    public static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temp folder is cleaned up eventually anyway.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
