using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Reflection;
using System.Threading.RateLimiting;
using Atrium.Platform.Resilience;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atrium.Platform.Web;

/// <summary>
/// Sheds load before the node saturates (<see cref="LoadSheddingOptions"/>): first the module's bulkhead (a
/// concurrency limit per module, no queue), then the node's limit (with a short queue); a request that gets no permit
/// answers <c>503 Service Unavailable</c> + <c>Retry-After</c> + ProblemDetails at once, and is counted on
/// <c>atrium.load_shedding.shed{scope}</c>. The module is the assembly of the endpoint's handler (<c>Atrium.Feed</c>
/// → <c>feed</c>); a request without one (an unknown path) counts against the node's limit only.
/// </summary>
internal sealed partial class LoadShedder : IDisposable
{
    private static readonly PathString[] ExemptPaths = ["/health", "/alive", "/metrics", "/ws"];

    private readonly ConcurrentDictionary<Assembly, string> _moduleNames = new();
    private readonly ConcurrentDictionary<string, ConcurrencyLimiter> _modules = new(StringComparer.Ordinal);
    private readonly ConcurrencyLimiter _node;
    private readonly LoadSheddingOptions _options;
    private readonly ResilienceMetrics _metrics;
    private readonly ILogger<LoadShedder> _logger;

    public LoadShedder(IOptions<LoadSheddingOptions> options, ResilienceMetrics metrics, IMeterFactory meters, ILogger<LoadShedder> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _node = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, _options.MaxConcurrentRequests),
            QueueLimit = Math.Max(0, _options.QueueLimit),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        var meter = meters.Create(ResilienceMetrics.MeterName);
        meter.CreateObservableGauge(
            "atrium.load_shedding.in_flight", () => InFlight, "{request}", "Requests holding one of the node's load-shedding permits.");
        meter.CreateObservableGauge(
            "atrium.load_shedding.queued", () => _node.GetStatistics()?.CurrentQueuedCount ?? 0, "{request}", "Requests waiting for a permit.");
    }

    /// <summary>Requests holding a permit of the node's limit now.</summary>
    public long InFlight => _options.MaxConcurrentRequests - (_node.GetStatistics()?.CurrentAvailablePermits ?? 0);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (IsExempt(context))
        {
            await next(context);
            return;
        }

        var module = ModuleOf(context.GetEndpoint());
        using var moduleLease = module is null ? null : ModuleLimiter(module).AttemptAcquire();
        if (moduleLease is { IsAcquired: false })
        {
            await RejectAsync(context, module!);
            return;
        }

        using var lease = await _node.AcquireAsync(1, context.RequestAborted);
        if (!lease.IsAcquired)
        {
            await RejectAsync(context, "node");
            return;
        }

        await next(context);
    }

    public void Dispose()
    {
        _node.Dispose();
        foreach (var limiter in _modules.Values)
        {
            limiter.Dispose();
        }
    }

    private static bool IsExempt(HttpContext context) =>
        context.WebSockets.IsWebSocketRequest || ExemptPaths.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase));

    /// <summary><c>Atrium.Feed</c> → <c>feed</c>; null when the request matched no endpoint with a handler method.</summary>
    private string? ModuleOf(Endpoint? endpoint)
    {
        if (endpoint?.Metadata.GetMetadata<MethodInfo>()?.DeclaringType?.Assembly is not { } assembly)
        {
            return null;
        }

        return _moduleNames.GetOrAdd(assembly, static a =>
        {
            var name = a.GetName().Name ?? "unknown";
            return (name.StartsWith("Atrium.", StringComparison.Ordinal) ? name["Atrium.".Length..] : name).ToLowerInvariant();
        });
    }

    private ConcurrencyLimiter ModuleLimiter(string module) => _modules.GetOrAdd(module, name => new ConcurrencyLimiter(new ConcurrencyLimiterOptions
    {
        PermitLimit = Math.Max(1, _options.Modules.TryGetValue(name, out var limit) ? limit : _options.ModuleMaxConcurrentRequests),
        QueueLimit = 0,
    }));

    private async Task RejectAsync(HttpContext context, string scope)
    {
        _metrics.Shed.Add(1, new KeyValuePair<string, object?>("scope", scope));
        LogShed(_logger, context.Request.Method, context.Request.Path, scope);
        var seconds = Math.Max(1, _options.RetryAfterSeconds);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problems = context.RequestServices.GetService(typeof(IProblemDetailsService)) as IProblemDetailsService;
        var written = problems is not null && await problems.TryWriteAsync(new()
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Server busy",
                Detail = scope == "node"
                    ? $"This server is handling as many requests as it can; nothing was done. Try again in {seconds} s."
                    : $"This server is handling as many {scope} requests as it can; nothing was done. Try again in {seconds} s.",
            },
        });
        if (!written)
        {
            await context.Response.WriteAsync("Server busy; try again later.", context.RequestAborted);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path} shed with 503 ({Scope} limit reached)")]
    private static partial void LogShed(ILogger logger, string method, PathString path, string scope);
}
