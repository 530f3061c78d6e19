using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Atrium.Platform.Endpoints;

/// <summary>
/// Guards operator endpoints: the <c>X-Admin-Key</c> header must equal <c>Atrium:AdminKey</c>; with no
/// key configured, only loopback callers get in (a fresh local install stays usable, a public one closed).
/// </summary>
internal sealed class AdminAccessFilter(IConfiguration configuration) : IEndpointFilter
{
    public const string Header = "X-Admin-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var configured = configuration["Atrium:AdminKey"];
        var allowed = string.IsNullOrEmpty(configured)
            ? http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
            : http.Request.Headers[Header].ToString() is { Length: > 0 } given
              && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(configured));
        return allowed
            ? await next(context)
            : TypedResults.Problem(
                $"Operator endpoints need the {Header} header matching the Atrium:AdminKey setting (or a loopback caller when no key is set).",
                statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
    }
}
