using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Atrium.Gateway;

/// <summary>
/// The first step of YARP's proxy pipeline (before load balancing and the passive health check): a safe request that
/// never reached an answer is sent once more, to another server. Safe means GET or HEAD without a request body; never
/// reaching an answer means YARP's <see cref="ForwarderError.Request"/> (connection refused, reset, or closed before
/// any response) with nothing sent to the client yet. So a dead server costs its safe requests nothing while the
/// health checks eject it. A POST, PUT, PATCH or DELETE is never sent twice (it may have been applied), nor a request
/// whose answer had begun, nor one that timed out (a slow server would get the load twice). The failed attempt still
/// counts against its server in the passive health check, which runs inside each attempt.
/// </summary>
internal sealed partial class SafeRetry(RequestDelegate next, GatewayMetrics metrics, ILogger<SafeRetry> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (!FailedBeforeAnswering(context))
        {
            return;
        }

        var proxy = context.GetReverseProxyFeature();
        var failed = proxy.ProxiedDestination;
        var others = proxy.Route.Cluster!.DestinationsState.AvailableDestinations.Where(d => !ReferenceEquals(d, failed)).ToArray();
        if (failed is null || others.Length == 0)
        {
            return; // nowhere else to go: the client gets the 502
        }

        // The forwarder refuses a response that looks set: undo the failed attempt's 502 and error before sending again.
        context.Features.Set<IForwarderErrorFeature>(null);
        context.Response.Clear();
        proxy.AvailableDestinations = others;
        proxy.ProxiedDestination = null;
        await next(context);

        var answered = context.Features.Get<IForwarderErrorFeature>() is null;
        metrics.Retried(context.Request.Method, answered);
        LogRetried(logger, context.Request.Method, context.Request.Path, failed.DestinationId, proxy.ProxiedDestination?.DestinationId, context.Response.StatusCode);
    }

    private static bool FailedBeforeAnswering(HttpContext context) =>
        (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false
        && context.Features.Get<IForwarderErrorFeature>()?.Error == ForwarderError.Request
        && !context.Response.HasStarted
        && !context.RequestAborted.IsCancellationRequested;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: server {Failed} did not answer; sent again to {Other}, which answered {Status}.")]
    private static partial void LogRetried(ILogger logger, string method, PathString path, string failed, string? other, int status);
}
