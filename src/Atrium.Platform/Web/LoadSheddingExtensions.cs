using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Atrium.Platform.Web;

/// <summary>Registers and places the load shedder (<see cref="LoadSheddingOptions"/>).</summary>
internal static class LoadSheddingExtensions
{
    public static IServiceCollection AddLoadShedding(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LoadSheddingOptions>().Bind(configuration.GetSection("Atrium:LoadShedding"))
            .Validate(o => o.MaxConcurrentRequests >= 1 && o.QueueLimit >= 0 && o.ModuleMaxConcurrentRequests >= 1 && o.RetryAfterSeconds >= 1,
                "Atrium:LoadShedding: MaxConcurrentRequests, ModuleMaxConcurrentRequests and RetryAfterSeconds must be at least 1, QueueLimit at least 0.")
            .ValidateOnStart();
        services.AddSingleton<LoadShedder>();
        return services;
    }

    /// <summary>After routing (so the endpoint, hence the module, is known) and before any work is done for the request.</summary>
    public static IApplicationBuilder UseLoadShedding(this IApplicationBuilder app)
    {
        var shedder = app.ApplicationServices.GetRequiredService<LoadShedder>();
        return app.Use(next => context => shedder.InvokeAsync(context, next));
    }
}
