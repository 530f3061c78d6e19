using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;

namespace Atrium.Platform.Web;

/// <summary>
/// Behind Atrium.Gateway (or any reverse proxy) the connection comes from the proxy; the real client is in
/// X-Forwarded-For/-Proto/-Host. Those headers are believed only from the addresses in <c>Atrium:TrustedProxies</c>
/// (default: loopback only, i.e. a gateway on the same machine), so per-client rate limits and the own-host check
/// see the real client and host, and a client talking to a server directly cannot spoof them.
/// </summary>
public static class TrustedProxies
{
    public const string Setting = "Atrium:TrustedProxies";

    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
            ForwardLimit = 1, // one gateway hop: take the address it appended, ignore what the client wrote before it
        };
        var configured = app.Configuration.GetSection(Setting).Get<string[]>() ?? [];
        if (configured.Length > 0)
        {
            options.KnownProxies.Clear(); // the defaults (loopback) are replaced, not extended
            options.KnownIPNetworks.Clear();
            foreach (var address in configured)
            {
                options.KnownProxies.Add(IPAddress.TryParse(address, out var ip)
                    ? ip
                    : throw new InvalidOperationException($"{Setting} has '{address}', which is not an IP address."));
            }
        }

        app.UseForwardedHeaders(options);
        return app;
    }
}
