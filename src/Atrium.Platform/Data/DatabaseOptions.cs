namespace Atrium.Platform.Data;

/// <summary>Where the embedded database lives (<c>Atrium:DataDirectory</c>, default <c>./data</c>).</summary>
public sealed class DatabaseOptions
{
    public string DataDirectory { get; set; } = "data";

    /// <summary>Seconds a command waits for a busy database (SQLite's busy timeout) before failing.</summary>
    public int CommandTimeoutSeconds { get; set; } = 30;
}
