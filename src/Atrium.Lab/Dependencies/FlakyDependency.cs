using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atrium.Lab.Dependencies;

/// <summary>
/// A real HTTP dependency on 127.0.0.1 (Kestrel) for the retries experiment: it serves at most
/// <c>capacityPerSecond</c> calls (beyond that: 503 "overloaded", as a saturated service does), and while a fault
/// is on it also fails <c>failureShare</c> of the calls it does serve. It counts every call it receives.
/// </summary>
internal sealed class FlakyDependency : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TokenBucketRateLimiter _capacity;
    private readonly double _failureShare;
    private long _calls;
    private volatile bool _faulty;

    private FlakyDependency(WebApplication app, int capacityPerSecond, double failureShare)
    {
        _app = app;
        _failureShare = failureShare;
        _capacity = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, capacityPerSecond / 5), // 200 ms of capacity: absorbs a client's timer jitter
            TokensPerPeriod = Math.Max(1, capacityPerSecond / 10),
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
        app.MapGet("/work", Work);
    }

    public Uri Address { get; private set; } = null!;

    public long Calls => Interlocked.Read(ref _calls);

    public bool Faulty
    {
        get => _faulty;
        set => _faulty = value;
    }

    public static async Task<FlakyDependency> StartAsync(int capacityPerSecond, double failureShare, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var dependency = new FlakyDependency(builder.Build(), capacityPerSecond, failureShare);
        await dependency._app.StartAsync(cancellationToken);
        var address = dependency._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        dependency.Address = new Uri(address);
        return dependency;
    }

    public void ResetCount() => Interlocked.Exchange(ref _calls, 0);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _capacity.Dispose();
    }

    private IResult Work()
    {
        Interlocked.Increment(ref _calls);
        using var lease = _capacity.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            return Results.Text("overloaded", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return _faulty && Random.Shared.NextDouble() < _failureShare
            ? Results.Text("injected fault", statusCode: StatusCodes.Status500InternalServerError)
            : Results.Text("ok");
    }
}
