using System.Diagnostics;
using Atrium.Platform.Ids;
using Atrium.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Atrium.Accounts.Tests.Support;

/// <summary>
/// An in-memory Atrium (the real Program) for accounts tests: its own data directory unless given one,
/// settings on top of the test defaults, optionally a <see cref="FakeTimeProvider"/> as its clock and the
/// <see cref="PolicyProbe"/> endpoints.
/// </summary>
public class TestApp : IAsyncDisposable
{
    private readonly AtriumApp _app;
    private readonly WebApplicationFactory<Program> _factory;
    private readonly bool _ownsData;

    public TestApp(IDictionary<string, string?>? settings = null, string? dataDirectory = null, FakeTimeProvider? clock = null, bool probe = false)
    {
        _ownsData = dataDirectory is null;
        _app = new AtriumApp(settings, dataDirectory);
        Clock = clock;
        _factory = clock is null && !probe
            ? _app
            : _app.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            {
                if (clock is not null)
                {
                    services.AddSingleton<TimeProvider>(clock);
                }

                if (probe)
                {
                    services.AddSingleton<IStartupFilter, PolicyProbe>();
                }
            }));
    }

    public FakeTimeProvider? Clock { get; }

    public string DataDirectory => _app.DataDirectory;

    public IServiceProvider Services => _factory.Services;

    /// <summary>A clock for a fake-time app: the real now, so Snowflake ids and node leases stay sane.</summary>
    public static FakeTimeProvider NewClock() => new(DateTimeOffset.UtcNow);

    public HttpClient CreateClient() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>
    /// Moves the fake clock forward, then waits until the node-id lease (renewed by a timer on that clock)
    /// is confirmed again, so the app can issue ids at the new time.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        var clock = Clock ?? throw new InvalidOperationException("This app runs on the real clock.");
        clock.Advance(by);
        await WaitForLeaseAsync();
    }

    public async Task WaitForLeaseAsync()
    {
        var lease = Services.GetRequiredService<NodeIdLease>();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                _ = lease.NodeId;
                return;
            }
            catch (InvalidOperationException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(10, TestContext.Current.CancellationToken); // the renewal runs on the thread pool
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!ReferenceEquals(_factory, _app))
        {
            await _factory.DisposeAsync();
        }

        await _app.DisposeAsync();
        if (_ownsData)
        {
            TestData.TryDelete(DataDirectory);
        }

        GC.SuppressFinalize(this);
    }
}
