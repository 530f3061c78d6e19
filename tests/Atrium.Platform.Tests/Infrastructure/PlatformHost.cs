using System.Data.Common;
using Atrium.Platform.Data;
using Atrium.Platform.Ids;
using Atrium.Platform.Messaging;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Atrium.Platform.Tests.Infrastructure;

/// <summary>
/// A real generic host with <c>AddPlatform()</c> over a SQLite file in <paramref name="DataDirectory"/>,
/// fast messaging settings and the test consumers and migration. Several hosts may share a directory,
/// like several processes sharing one database.
/// </summary>
internal sealed class PlatformHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private PlatformHost(IHost host, string dataDirectory, LogCollector logs)
    {
        _host = host;
        DataDirectory = dataDirectory;
        Logs = logs;
    }

    public string DataDirectory { get; }

    public LogCollector Logs { get; }

    public IServiceProvider Services => _host.Services;

    public IDatabase Database => Get<IDatabase>();

    public NodeIdLease Lease => Get<NodeIdLease>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static PlatformHost Build(
        string dataDirectory,
        TimeProvider? time = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Atrium:DataDirectory"] = dataDirectory,
            ["Atrium:Messaging:PollInterval"] = "00:00:00.050",
            ["Atrium:Messaging:RetryBaseDelay"] = "00:00:00.010",
            ["Atrium:Messaging:RetryMaxDelay"] = "00:00:00.100",
            ["Atrium:Messaging:MaxAttempts"] = "3",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        var logs = new LogCollector();
        builder.Logging.AddProvider(logs);
        if (time is not null)
        {
            builder.Services.AddSingleton(time); // AddPlatform only adds the system clock when none is registered
        }

        builder.AddPlatform();
        builder.Services.AddMigrations("PlatformTests", typeof(PlatformHost).Assembly);
        builder.Services.AddTestConsumers();
        configure?.Invoke(builder.Services);
        return new PlatformHost(builder.Build(), dataDirectory, logs);
    }

    public static async Task<PlatformHost> StartAsync(
        string dataDirectory,
        TimeProvider? time = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var host = Build(dataDirectory, time, settings, configure);
        await host.StartAsync();
        return host;
    }

    public Task StartAsync() => _host.StartAsync(Ct);

    public T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _host.StopAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync(CancellationToken.None);
        }

        _host.Dispose();
    }

    /// <summary>Publishes <paramref name="message"/> in a transaction of its own, committed or rolled back.</summary>
    public async Task<long> PublishAsync<TEvent>(TEvent message, bool commit = true)
        where TEvent : IEvent
    {
        await using var connection = await Database.OpenPrimaryAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        var id = await Get<IEventPublisher>().PublishAsync(message, transaction, Ct);
        if (commit)
        {
            await transaction.CommitAsync(Ct);
        }
        else
        {
            await transaction.RollbackAsync(Ct);
        }

        return id;
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenPrimaryAsync(Ct);
        return (await connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: Ct)))!;
    }

    public async Task<int> ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenPrimaryAsync(Ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: Ct));
    }

    public async Task<List<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenPrimaryAsync(Ct);
        return (await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: Ct))).AsList();
    }

    public async Task<DbConnection> OpenAsync() => await Database.OpenPrimaryAsync(Ct);

    /// <summary>How many times <paramref name="consumer"/> applied events carrying <paramref name="marker"/> (committed effects only).</summary>
    public Task<long> EffectsAsync(string consumer, string marker) =>
        ScalarAsync<long>("SELECT COUNT(*) FROM tests_effects WHERE consumer = @consumer AND marker = @marker", new { consumer, marker });

    /// <summary>Deliveries of <paramref name="eventId"/> still waiting in the local queue (any consumer).</summary>
    public Task<long> QueuedAsync(long eventId) =>
        ScalarAsync<long>("SELECT COUNT(*) FROM platform_queue WHERE event_id = @eventId", new { eventId });
}
