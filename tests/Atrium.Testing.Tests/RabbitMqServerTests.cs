using System.Text;
using Atrium.Testing.Servers;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Xunit;

namespace Atrium.Testing.Tests;

/// <summary>One node for the class (tests in a class run one at a time); the outage tests bring it back up.</summary>
public sealed class RabbitMqServerTests(RabbitMqFixture rabbit) : IClassFixture<RabbitMqFixture>
{
    private static readonly Dictionary<string, object?> Quorum = new() { ["x-queue-type"] = "quorum" };

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Quorum_queue_takes_a_confirmed_message_and_delivers_it_to_a_consumer()
    {
        var queue = NewQueueName();
        await using var connection = await ConnectAsync();
        await using var channel = await OpenChannelAsync(connection, queue);

        await PublishAsync(channel, queue, "hello");

        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            received.TrySetResult(Encoding.UTF8.GetString(delivery.Body.Span));
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, Cancellation);
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer, Cancellation);

        Assert.Equal("hello", await received.Task.WaitAsync(TimeSpan.FromSeconds(30), Cancellation));
        Assert.Contains($"{queue}\tquorum", await rabbit.Server.CtlAsync(["list_queues", "name", "type"], Cancellation), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_app_makes_publishing_fail_and_start_app_brings_it_back()
    {
        var queue = NewQueueName();
        await using var connection = await ConnectAsync();
        await using var channel = await OpenChannelAsync(connection, queue);

        await rabbit.Server.StopAppAsync(Cancellation);
        try
        {
            await Assert.ThrowsAnyAsync<RabbitMQClientException>(() => PublishAsync(channel, queue, "lost"));
            await Assert.ThrowsAsync<BrokerUnreachableException>(ConnectAsync);
        }
        finally
        {
            await rabbit.Server.StartAppAsync(Cancellation);
        }

        await using var again = await ConnectAsync();
        await using var newChannel = await OpenChannelAsync(again, queue);
        await PublishAsync(newChannel, queue, "delivered");
        Assert.Equal("delivered", await GetAsync(newChannel, queue));
    }

    [Fact]
    public async Task Kill_and_restart_keeps_a_confirmed_persistent_message()
    {
        var queue = NewQueueName();
        await using (var connection = await ConnectAsync())
        {
            await using var channel = await OpenChannelAsync(connection, queue);

            // RabbitMQ 3.10.8 (Ra 2.2) records a new quorum queue's Raft term on disk asynchronously: killed
            // within milliseconds of the declaration, the queue comes back without a leader and loses what it had
            // confirmed. Queues that have existed for a second keep confirmed messages across a kill.
            await Task.Delay(TimeSpan.FromSeconds(2), Cancellation);
            await PublishAsync(channel, queue, "durable");
        }

        await rabbit.Server.KillAsync(Cancellation);
        try
        {
            Assert.False(rabbit.Server.IsRunning);
            await Assert.ThrowsAsync<BrokerUnreachableException>(ConnectAsync);
        }
        finally
        {
            await rabbit.Server.StartAsync(Cancellation);
        }

        await using var reconnected = await ConnectAsync();
        await using var reopened = await OpenChannelAsync(reconnected, queue);
        Assert.Equal("durable", await GetAsync(reopened, queue));
    }

    private static string NewQueueName() => $"test.{Guid.NewGuid():N}";

    private Task<IConnection> ConnectAsync() =>
        new ConnectionFactory { Uri = new Uri(rabbit.Server.ConnectionString), AutomaticRecoveryEnabled = false }
            .CreateConnectionAsync(Cancellation);

    private static async Task<IChannel> OpenChannelAsync(IConnection connection, string queue)
    {
        // Tracking makes each publish wait for the broker's confirm (and throw on a nack or a return).
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            Cancellation);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, Quorum, cancellationToken: Cancellation);
        return channel;
    }

    private static async Task PublishAsync(IChannel channel, string queue, string text) =>
        await channel.BasicPublishAsync("", queue, mandatory: true, new BasicProperties { Persistent = true }, Encoding.UTF8.GetBytes(text), Cancellation);

    /// <summary>Polls: after a restart the quorum queue may need a moment to elect its (single) leader.</summary>
    private static async Task<string> GetAsync(IChannel channel, string queue)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var message = await channel.BasicGetAsync(queue, autoAck: true, Cancellation);
            if (message is not null)
            {
                return Encoding.UTF8.GetString(message.Body.Span);
            }

            Assert.True(DateTime.UtcNow < deadline, $"No message in {queue} within 30 s.");
            await Task.Delay(100, Cancellation);
        }
    }
}
