using Atrium.Testing.Servers;

namespace Atrium.Testing;

/// <summary>
/// Fresh RabbitMQ virtual hosts for <see cref="DistributedServers"/>, made in batches: every <c>rabbitmqctl</c>
/// call boots an Erlang VM (≈ 0.6 s), and one <c>import_definitions</c> makes a batch for the price of one.
/// </summary>
internal sealed class VirtualHostPool(Lazy<Task<RabbitMqServer>> server)
{
    private const int BatchSize = 24;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Queue<string> _free = new();
    private int _made;

    public async Task<string> TakeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_free.Count == 0)
            {
                var batch = Enumerable.Range(_made + 1, BatchSize).Select(n => $"atrium-test-{n}").ToArray();
                await (await server.Value).AddVirtualHostsAsync(batch);
                _made += BatchSize;
                foreach (var name in batch)
                {
                    _free.Enqueue(name);
                }
            }

            return _free.Dequeue();
        }
        finally
        {
            _gate.Release();
        }
    }
}
