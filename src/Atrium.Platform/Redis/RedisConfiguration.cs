using Microsoft.Extensions.Configuration;

namespace Atrium.Platform.Redis;

/// <summary>
/// The one question every module asks to pick its shape: is Redis configured (<c>ConnectionStrings:Redis</c> set and
/// not blank)? Yes: the cluster shape's Redis parts; no: the embedded, in-process ones.
/// </summary>
public static class RedisConfiguration
{
    public const string ConnectionStringName = "Redis";

    public static bool HasRedis(this IConfiguration configuration) => configuration.RedisConnectionString() is not null;

    /// <summary>The Redis connection string, or null when Redis is not configured.</summary>
    public static string? RedisConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;
}
