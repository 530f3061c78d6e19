using System.Data.Common;
using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Atrium.Platform.Web;

/// <summary>
/// Graceful degradation when the database cannot be reached (DESIGN.md §4, Resilience): a transient database
/// failure — the primary down, a connection refused or broken, a failover in progress — answers
/// <c>503 Service Unavailable</c> with <c>Retry-After</c> and a ProblemDetails body, at once, instead of a 500.
/// Reads that do not need the primary (replicas, the cache) keep working meanwhile; so do cached redirects.
/// </summary>
internal sealed partial class DatabaseUnavailableExceptionHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableExceptionHandler> logger)
    : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnavailable(exception))
        {
            return false;
        }

        LogUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new()
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service temporarily unavailable",
                Detail = $"The database cannot be reached right now, so this request may not have been carried out. Try again in {RetryAfterSeconds} seconds.",
            },
        });
    }

    /// <summary>
    /// A database failure that says "try again" (Npgsql marks connection failures and shutdowns transient; a failover
    /// before the promotion is a transient PrimaryUnavailableException), or a refused socket under one.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException { IsTransient: true } || (e is SocketException && exception is DbException))
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: the database is unavailable ({Reason})")]
    private static partial void LogUnavailable(ILogger logger, string method, PathString path, string reason);
}
