using Atrium.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Atrium.Browser.Tests.Support;

/// <summary>
/// The "other website" short links lead to, on loopback. Chromium resolves the test's target host to it
/// (<c>--host-resolver-rules</c>), because Playwright's request routing never sees redirect hops: a
/// browser following a 302 would otherwise go to the real network.
/// </summary>
public sealed class StandInSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StandInSite(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<StandInSite> StartAsync(CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.Run(context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync("<!doctype html><title>Landed</title><h1>External page</h1>", context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        return new StandInSite(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
