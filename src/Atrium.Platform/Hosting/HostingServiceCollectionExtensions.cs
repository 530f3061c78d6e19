using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Atrium.Platform.Hosting;

internal static class HostingServiceCollectionExtensions
{
    /// <summary>
    /// The supervisor, its state registry and health check; and, as a last resort only, a host that does not stop when
    /// a background service's task faults anyway (every service runs under <see cref="ServiceSupervisor"/>, which lets
    /// nothing escape; should one still fault, the host logs it as "BackgroundService failed" at Error and the node
    /// stays up, reported by the service's own state).
    /// Idempotent: every registration of a supervised service calls it, so a host that composes only part of Platform
    /// (the Lab's hosts) gets the supervisor too.
    /// </summary>
    public static IServiceCollection AddSupervisedServices(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ServiceSupervisor)))
        {
            return services;
        }

        services.AddSingleton<ServiceStates>();
        services.AddSingleton<ServiceSupervisor>();
        services.Configure<HostOptions>(options => options.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore);
        services.AddHealthChecks().AddCheck<ServicesHealthCheck>("services", tags: ["ready"]);
        return services;
    }
}
