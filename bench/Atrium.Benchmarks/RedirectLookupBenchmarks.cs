using System.Collections.Concurrent;
using Atrium.Links;
using Atrium.Links.Data;
using Atrium.Links.Domain;
using Atrium.Platform;
using Atrium.Platform.Caching;
using Atrium.Platform.Data;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Atrium.Benchmarks;

/// <summary>
/// The redirect's read path on a cache hit: the real <see cref="LinkCache"/> over HybridCache (L1 only,
/// warm), HybridCache alone, and a ConcurrentDictionary as the floor. Plus the user-agent
/// classification each click costs in the background flusher.
/// </summary>
[MemoryDiagnoser]
public class RedirectLookupBenchmarks
{
    private const string Code = "b3nCh7x";

    private static readonly HybridCacheEntryOptions Entry = new()
    {
        Expiration = TimeSpan.FromHours(6),
        LocalCacheExpiration = TimeSpan.FromHours(1),
    };

    private readonly RedirectTarget _target = new("https://example.com/some/long/path?utm_source=bench", Permanent: false, null, Limited: false, Disabled: false);
    private readonly string _chromeUserAgent =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private readonly ConcurrentDictionary<string, RedirectTarget> _dictionary = new();
    private readonly string _key = LinkCache.Key(Code);
    private readonly string _rawKey = "bench:target:" + Code;
    private string _dataDirectory = "";
    private ServiceProvider _services = null!;
    private HybridCache _hybrid = null!;
    private LinkCache _linkCache = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _dataDirectory = Path.Combine(Path.GetTempPath(), $"atrium-bench-{Guid.NewGuid():N}");
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddHybridCache();
        services.Configure<DatabaseOptions>(o => o.DataDirectory = _dataDirectory);
        services.Configure<LinksOptions>(_ => { });
        services.AddSingleton<IDatabase, SqliteDatabase>();
        services.AddSingleton<LinkStore>();
        services.AddSingleton<LinksMetrics>();
        services.AddSingleton<CacheGenerations>();
        services.AddSingleton<ICacheInvalidator, LocalCacheInvalidator>(); // the embedded shape's, as AddAtriumRedis registers it
        services.AddSingleton<LinkCache>();
        _services = services.BuildServiceProvider();

        // A real database with the real schema and one link, read once to warm the cache.
        var database = _services.GetRequiredService<IDatabase>();
        await new MigrationRunner(
                database,
                [new MigrationSource("Platform", typeof(PlatformModule).Assembly), new MigrationSource("Links", typeof(LinksModule).Assembly)],
                NullLogger<MigrationRunner>.Instance)
            .StartingAsync(CancellationToken.None);
        await using (var connection = await database.OpenPrimaryAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync(CancellationToken.None))
        {
            var link = new Link(1, Code, _target.Url, _target.Permanent, DateTimeOffset.UtcNow, null, null, 0, null);
            await LinkStore.TryInsertAsync(transaction, link, CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }

        _linkCache = _services.GetRequiredService<LinkCache>();
        var warmed = await _linkCache.GetAsync(Code, CancellationToken.None)
            ?? throw new InvalidOperationException("The benchmark link was not found.");
        if (warmed.Url != _target.Url)
        {
            throw new InvalidOperationException("The benchmark link came back different.");
        }

        _hybrid = _services.GetRequiredService<HybridCache>();
        await _hybrid.SetAsync(_rawKey, _target, Entry);
        _dictionary[_key] = _target;
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _services.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // Benchmark methods are public and the domain types internal, so each returns the target's URL
    // (what the redirect writes into Location). A warm hit completes synchronously; Result() only
    // blocks if it did not, which would show up as a much slower mean.

    [Benchmark(Baseline = true)]
    public string? DictionaryLookup() => _dictionary.TryGetValue(_key, out var target) ? target.Url : null;

    [Benchmark]
    public string? HybridCacheHit() =>
        Result(_hybrid.GetOrCreateAsync(_rawKey, _target, static (target, _) => ValueTask.FromResult(target), Entry))?.Url;

    [Benchmark]
    public string? LinkCacheHit() => Result(_linkCache.GetAsync(Code, CancellationToken.None))?.Url;

    [Benchmark]
    public string ClassifyChromeUserAgent() => UserAgentClassifier.Classify(_chromeUserAgent).Browser;

    private static T Result<T>(ValueTask<T> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
}
