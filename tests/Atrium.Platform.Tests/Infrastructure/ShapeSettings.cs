using Atrium.Testing;

namespace Atrium.Platform.Tests.Infrastructure;

/// <summary>
/// Settings that put a <see cref="PlatformHost"/> in the shape under test (<see cref="TestShape"/>): none for the
/// embedded shape (SQLite in the data directory, the local queue), the shared PostgreSQL, Redis and RabbitMQ of
/// <see cref="DistributedServers"/> for the distributed one.
/// </summary>
internal static class ShapeSettings
{
    public static async Task<Dictionary<string, string?>> ForAsync(string dataDirectory, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = TestShape.IsDistributed ? await DistributedServers.SettingsForAsync(dataDirectory) : [];
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
