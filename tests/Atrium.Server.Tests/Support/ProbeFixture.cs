using Atrium.Platform.Data;
using Atrium.Platform.Messaging;
using Atrium.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Atrium.Server.Tests.Support;

/// <summary>
/// An Atrium with one extra consumer, <see cref="ProbeConsumer"/>, that fails on demand; events are
/// dead-lettered after 2 attempts.
/// </summary>
public sealed class ProbeFixture : IAsyncDisposable
{
    private readonly AtriumApp _app = new(new Dictionary<string, string?> { ["Atrium:Messaging:MaxAttempts"] = "2" });
    private readonly WebApplicationFactory<Program> _factory;

    public ProbeFixture()
    {
        _factory = _app.WithWebHostBuilder(web => web.ConfigureTestServices(services => services
            .AddSingleton(Behaviour)
            .AddEventConsumer<ProbeEvent, ProbeConsumer>(ProbeConsumer.Name)));
    }

    internal ProbeBehaviour Behaviour { get; } = new();

    public HttpClient CreateClient() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>Publishes a probe through the outbox, as a module would: inside a committed transaction.</summary>
    internal async Task PublishAsync(string marker, CancellationToken cancellationToken)
    {
        var database = _factory.Services.GetRequiredService<IDatabase>();
        var publisher = _factory.Services.GetRequiredService<IEventPublisher>();
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await publisher.PublishAsync(new ProbeEvent(marker), transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _app.DisposeAsync();
        TestData.TryDelete(_app.DataDirectory);
    }
}
