using Atrium.Platform.Hosting;
using Atrium.Platform.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atrium.Platform.Data;

/// <summary>Chooses the database by connection string (DESIGN.md §1) and runs the migrations at start-up.</summary>
public static class DatabaseServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddAtriumDatabase(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<DatabaseOptions>(builder.Configuration.GetSection("Atrium"));
        services.Configure<DatabaseOptions>(builder.Configuration.GetSection("Atrium:Database"));
        services.AddHttpContextAccessor();

        // TryAdd: the cluster registers a shared (Redis) implementation so a pin holds on every node.
        services.TryAddSingleton<IWritePins, LocalWritePins>();

        // Chosen when first resolved, from the configuration the host ended up with.
        services.AddSingleton<IDatabase>(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var primary = configuration.GetConnectionString("Postgres");
            if (string.IsNullOrWhiteSpace(primary))
            {
                return ActivatorUtilities.CreateInstance<SqliteDatabase>(sp);
            }

            var replicas = PostgresConnectionStrings.SplitReplicas(configuration.GetConnectionString("PostgresReplicas"));
            return new PostgresDatabase(
                primary,
                replicas,
                sp.GetRequiredService<IOptions<DatabaseOptions>>(),
                sp.GetRequiredService<IWritePins>(),
                sp.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<PostgresDatabase>>(),
                sp.GetService<ResilienceMetrics>());
        });
        services.AddHostedService<MigrationRunner>();
        services.AddSupervisedServices();
        services.AddHostedService<ReplicaLagMonitor>(); // idle in the embedded shape and without replicas
        return builder;
    }
}
