using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Atrium.Testing.Servers;

/// <summary>
/// A throwaway Redis from the Debian package (<c>redis-server</c>) on 127.0.0.1 and a free port, without
/// persistence (<c>--save '' --appendonly no</c>): a cache, so a restart starts empty. Starts in well under a
/// second, so a test that stops it (an outage) should start its own.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _executable;
    private readonly string _directory;
    private ServerProcess? _process;
    private bool _disposed;

    private readonly int _databases;
    private readonly IReadOnlyList<string> _extraArguments;

    private RedisServer(string executable, string directory, int databases, int? port = null, IReadOnlyList<string>? extraArguments = null)
    {
        _executable = executable;
        _directory = directory;
        _databases = databases;
        _extraArguments = extraArguments ?? [];
        Port = port ?? LoopbackPort.Next();
    }

    public int Port { get; }

    /// <summary>StackExchange.Redis format: <c>127.0.0.1:PORT</c>.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The last lines the server logged.</summary>
    public string LogTail => _process?.Tail() ?? "";

    public static Task<RedisServer> StartNewAsync(CancellationToken cancellationToken = default) => StartNewAsync(16, cancellationToken);

    /// <summary>Starts a new server with <paramref name="databases"/> logical databases (Redis's default is 16).</summary>
    public static async Task<RedisServer> StartNewAsync(int databases, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(databases, 1);
        var server = new RedisServer(ServerBinaries.Find("redis-server", "redis-server"), TempDirectory.Create("atrium-redis"), databases);
        try
        {
            await server.StartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A node of a <see cref="RedisCluster"/>: cluster mode on <paramref name="port"/> (its bus on port + 10,000), with its
    /// nodes.conf in <paramref name="directory"/> (kept across <see cref="StopAsync"/> + <see cref="StartAsync"/>, so a
    /// restarted node rejoins its cluster).
    /// </summary>
    internal static async Task<RedisServer> StartClusterNodeAsync(int port, string directory, IReadOnlyList<string> clusterArguments, CancellationToken cancellationToken)
    {
        var server = new RedisServer(ServerBinaries.Find("redis-server", "redis-server"), directory, 1, port, clusterArguments);
        try
        {
            await server.StartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server again on the same port, empty: recovery after <see cref="StopAsync"/>.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsRunning)
        {
            throw new InvalidOperationException($"Redis on port {Port} is already running.");
        }

        // A child process, not --daemonize: its pid is ours to stop, and its log is its stdout.
        var process = ServerProcess.Start(Command.For(
            _executable,
            [
                "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--dir", _directory, "--databases", _databases.ToString(CultureInfo.InvariantCulture),
                .. _extraArguments,
            ]));
        _process = process;
        await Poll.UntilAsync(
            async token =>
            {
                process.ThrowIfExited($"Redis on port {Port}");
                return await AnswersAsync(process.Id, token);
            },
            StartTimeout,
            () => $"Redis on port {Port} did not answer. Its log:\n{process.Tail()}",
            cancellationToken);
    }

    /// <summary>Kills the server (SIGKILL): an outage. Clients see refused connections until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_process is { } process)
        {
            await process.KillAsync();
            _process = null;
        }
    }

    /// <summary>
    /// Freezes the server (SIGSTOP): its connections stay open and nothing answers, as in a stalled host; its data is
    /// kept. <see cref="ResumeAsync"/> thaws it.
    /// </summary>
    public Task PauseAsync(CancellationToken cancellationToken = default) => SignalAsync("STOP", cancellationToken);

    /// <summary>SIGCONT: the frozen server carries on, with the data it had.</summary>
    public Task ResumeAsync(CancellationToken cancellationToken = default) => SignalAsync("CONT", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await StopAsync(CancellationToken.None);
            Command.TryDeleteDirectory(_directory);
        }
    }

    private async Task SignalAsync(string signal, CancellationToken cancellationToken)
    {
        var process = _process ?? throw new InvalidOperationException($"Redis on port {Port} is not running.");
        using var kill = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
            "kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync(cancellationToken);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {process.Id} exited with {kill.ExitCode}.");
        }
    }

    /// <summary>The pids of the server's processes now (for tests of the fixtures' own cleanup).</summary>
    internal IReadOnlyList<int> ProcessIds() => _process?.ProcessIds() ?? [];

    /// <summary>True when the server on our port answers, and is ours (INFO's process_id: the port could be someone else's).</summary>
    private async Task<bool> AnswersAsync(int pid, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("INFO server\r\n"u8.ToArray(), cancellationToken);
            var reply = new StringBuilder();
            var buffer = new byte[4096];
            int read;
            while (!reply.ToString().Contains("\r\nprocess_id:", StringComparison.Ordinal) || !reply.ToString().EndsWith("\r\n", StringComparison.Ordinal))
            {
                if ((read = await stream.ReadAsync(buffer, cancellationToken)) == 0)
                {
                    return false;
                }

                reply.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            return reply.ToString().Contains($"\r\nprocess_id:{pid}\r\n", StringComparison.Ordinal);
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
