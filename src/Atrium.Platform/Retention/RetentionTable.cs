namespace Atrium.Platform.Retention;

/// <summary>
/// A table the <see cref="RetentionSweeper"/> keeps short: rows whose <paramref name="TimeColumn"/> (unix
/// milliseconds) is older than <paramref name="Window"/> are deleted. Modules register theirs with
/// <see cref="RetentionServiceCollectionExtensions.AddRetention"/>; an index on the column keeps each sweep cheap.
/// </summary>
public sealed record RetentionTable(string Table, string TimeColumn, TimeSpan Window);
