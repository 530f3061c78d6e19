using System.Globalization;
using System.Net.Sockets;

namespace Atrium.Lab.Systems;

/// <summary>A throwaway Redis (Debian's <c>redis-server</c>) on 127.0.0.1 and a free port, without persistence.</summary>
internal sealed class RedisInstance : IAsyncDisposable
{
    private static readonly string[] Executables = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];
    private readonly ChildProcess _process;
    private readonly string _directory;

    private RedisInstance(ChildProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>StackExchange.Redis format, one logical database and channel prefix per experiment run.</summary>
    public string ConnectionStringFor(int database, string channelPrefix) =>
        string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port},defaultDatabase={database},channelPrefix={channelPrefix}:");

    public static async Task<RedisInstance> StartAsync(CancellationToken cancellationToken)
    {
        var executable = Executables.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("redis-server was not found: install the Debian package 'redis-server' (scripts/install-deps.sh).");
        var port = LoopbackPorts.Next();
        var directory = Path.Combine(Path.GetTempPath(), $"atrium-lab-redis-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var process = ChildProcess.Start(ChildProcess.For(executable,
            ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", directory]));
        var redis = new RedisInstance(process, directory, port);
        try
        {
            await Wait.UntilAsync(
                async ct =>
                {
                    process.ThrowIfExited($"Redis on port {port}");
                    return await AnswersAsync(port, ct);
                },
                TimeSpan.FromSeconds(30), () => $"Redis on port {port} did not answer:\n{process.Tail()}", cancellationToken);
            return redis;
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    /// <summary>A counter of <c>INFO stats</c>, e.g. <c>keyspace_hits</c> (server-wide: every logical database).</summary>
    public async Task<long> StatAsync(string name, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, Port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync("INFO stats\r\nQUIT\r\n"u8.ToArray(), cancellationToken);
        using var reader = new StreamReader(stream);
        var text = await reader.ReadToEndAsync(cancellationToken);
        var line = text.Split("\r\n").FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Redis INFO stats has no {name}.");
        return long.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private static async Task<bool> AnswersAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            return read > 0 && buffer[0] == (byte)'+';
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
