using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Atrium.Platform.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>
    /// Has the sweeper delete rows of <paramref name="table"/> older than the window <paramref name="window"/>
    /// reads from the retention options (read once, when the sweeper starts).
    /// </summary>
    public static IServiceCollection AddRetention(
        this IServiceCollection services, string table, string timeColumn, Func<RetentionOptions, TimeSpan> window) =>
        services.AddSingleton(sp => new RetentionTable(table, timeColumn, window(sp.GetRequiredService<IOptions<RetentionOptions>>().Value)));
}
