using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atrium.Lab.Systems;

/// <summary>
/// A backend node for the <c>loadbalancing</c> experiment: Kestrel on 127.0.0.1 whose <c>GET /work</c> takes
/// <c>serviceTime</c> on one of <c>workers</c> workers (requests beyond them queue, as on a server with a fixed
/// thread or connection pool), so a node made slower also has less capacity. It counts the requests it receives
/// and how many are in it now. <c>GET /health</c> answers at once and is not counted (the gateway's probes).
/// </summary>
internal sealed class LatencyNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SemaphoreSlim _workers;
    private readonly TimeSpan _serviceTime;
    private long _requests;
    private long _inFlight;

    private LatencyNode(WebApplication app, int workers, TimeSpan serviceTime)
    {
        _app = app;
        _workers = new SemaphoreSlim(workers, workers);
        _serviceTime = serviceTime;
        app.MapGet("/work", WorkAsync);
        app.MapGet("/health", () => Results.Text("ok"));
    }

    public Uri Address { get; private set; } = null!;

    public TimeSpan ServiceTime => _serviceTime;

    public long Requests => Interlocked.Read(ref _requests);

    public long InFlight => Interlocked.Read(ref _inFlight);

    public static async Task<LatencyNode> StartAsync(int workers, TimeSpan serviceTime, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var node = new LatencyNode(builder.Build(), workers, serviceTime);
        await node._app.StartAsync(cancellationToken);
        node.Address = new Uri(node._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return node;
    }

    public void ResetCount() => Interlocked.Exchange(ref _requests, 0);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _workers.Dispose();
    }

    private async Task<IResult> WorkAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _inFlight);
        try
        {
            await _workers.WaitAsync(cancellationToken);
            try
            {
                await Task.Delay(_serviceTime, cancellationToken);
            }
            finally
            {
                _workers.Release();
            }

            return Results.Text("done");
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
