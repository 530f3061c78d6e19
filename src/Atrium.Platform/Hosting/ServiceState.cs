namespace Atrium.Platform.Hosting;

/// <summary>One supervised service's state as <c>/health</c> and the metrics report it.</summary>
/// <param name="Service">The service's name, e.g. <c>links.click-flusher</c>.</param>
/// <param name="Failures">Failures in a row (0: running).</param>
/// <param name="FailingSince">When the current run of failures began; null while running.</param>
/// <param name="LastError">The last failure's message; null while running.</param>
public sealed record ServiceState(string Service, int Failures, DateTimeOffset? FailingSince, string? LastError)
{
    public bool IsFailing => Failures > 0;
}
