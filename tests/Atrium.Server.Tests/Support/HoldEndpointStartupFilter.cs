using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Atrium.Server.Tests.Support;

/// <summary>
/// Adds the test-only endpoint <c>GET /test/hold</c> to the app's own route table (so routing, and with it the
/// load shedder's module bulkheads, see it like any endpoint) — from the test project, leaving product code alone.
/// Its handler lives in this assembly, so its module is <c>server.tests</c>.
/// </summary>
internal sealed class HoldEndpointStartupFilter(HeldRequests held) : IStartupFilter
{
    public const string Module = "server.tests";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app); // WebApplication wires its pipeline and leaves its route builder in the properties
        var routes = app.Properties.TryGetValue("__EndpointRouteBuilder", out var value) && value is IEndpointRouteBuilder builder
            ? builder
            : throw new InvalidOperationException("The app's route builder was not found; the test endpoint cannot be added.");
        routes.MapGet(HeldRequests.Path, (CancellationToken cancellationToken) => held.HoldAsync(cancellationToken));
    };
}
