using System.Net;
using Atrium.Links;
using Atrium.Links.Guessing;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Atrium.Benchmarks;

/// <summary>
/// What the short-code guessing throttle adds to the redirect: the check every request makes (nobody blocked — the
/// normal case — and with 1,000 other clients blocked), and the charge a miss pays (the in-process bucket; in the
/// cluster a miss also makes one Redis call, which this does not measure).
/// </summary>
[MemoryDiagnoser]
public class GuessThrottleBenchmarks
{
    private readonly DefaultHttpContext _http = new();
    private ServiceProvider _services = null!;
    private GuessThrottle _idle = null!;
    private GuessThrottle _busy = null!;

    [GlobalSetup]
    public void Setup()
    {
        _http.Connection.RemoteIpAddress = IPAddress.Parse("198.51.100.7");
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSingleton<LinksMetrics>();
        _services = services.BuildServiceProvider();
        var options = Options.Create(new LinksOptions { GuessLimitMisses = 1_000_000_000, GuessLimitWindow = TimeSpan.FromMinutes(1) });
        _idle = Throttle(new GuessBlocks(TimeProvider.System), options);
        var blocks = new GuessBlocks(TimeProvider.System);
        for (var i = 0; i < 1000; i++)
        {
            blocks.Block($"ip:10.0.{i / 256}.{i % 256}", TimeSpan.FromHours(1));
        }

        _busy = Throttle(blocks, options);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _idle.Dispose();
        _busy.Dispose();
        _services.Dispose();
    }

    [Benchmark(Baseline = true, Description = "hit check, nobody blocked")]
    public bool CheckWhenNobodyIsBlocked() => _idle.IsBlocked(_http, out _);

    [Benchmark(Description = "hit check, 1,000 others blocked")]
    public bool CheckWhenOthersAreBlocked() => _busy.IsBlocked(_http, out _);

    [Benchmark(Description = "miss charge (in-process bucket)")]
    public ValueTask<TimeSpan?> ChargeAMiss() => _idle.RecordMissAsync(_http, CancellationToken.None);

    private GuessThrottle Throttle(GuessBlocks blocks, IOptions<LinksOptions> options) => new(
        blocks, new LocalGuessBlockAnnouncer(), _services.GetRequiredService<LinksMetrics>(), options, _services,
        NullLogger<GuessThrottle>.Instance);
}
