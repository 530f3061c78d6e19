using Microsoft.Extensions.Logging;

namespace Atrium.Platform.Resilience;

/// <summary>Circuit transitions, logged once per transition (not per rejected call: the metrics count those).</summary>
internal static partial class ResilienceLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Circuit {Dependency}{Instance} opened for {Seconds} s: calls fail at once and callers degrade.")]
    public static partial void Opened(ILogger logger, string dependency, string instance, double seconds, Exception? exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Circuit {Dependency}{Instance} half-open: letting one trial call through.")]
    public static partial void HalfOpened(ILogger logger, string dependency, string instance);

    [LoggerMessage(Level = LogLevel.Information, Message = "Circuit {Dependency}{Instance} closed: the dependency answers again.")]
    public static partial void Closed(ILogger logger, string dependency, string instance);
}
