using System.Globalization;

namespace Atrium.Testing.Servers;

/// <summary>
/// A throwaway RabbitMQ node from the Debian package (<c>rabbitmq-server</c>): its own node name, ports, Erlang
/// cookie, epmd and directories, all under one temp directory, so it shares nothing with a system broker or
/// another test run. Starting takes about 5 s (README.md beside this file): share one node per test assembly or
/// collection (<see cref="RabbitMqFixture"/>), with a queue name per test.
/// </summary>
/// <remarks>
/// Everything is set through the environment the RabbitMQ scripts read, so nothing under /etc/rabbitmq or
/// /var/lib/rabbitmq is read or written: <c>RABBITMQ_CONFIG_FILE</c>, <c>RABBITMQ_CONF_ENV_FILE</c> and
/// <c>RABBITMQ_ENABLED_PLUGINS_FILE</c> point at (empty) files here, <c>HOME</c> holds the Erlang cookie, and
/// <c>ERL_EPMD_PORT</c> gives the node a private epmd (the Erlang port mapper) that this class starts and stops
/// itself: the usual shared epmd on 4369 would be started as a daemon by the first node and outlive it.
/// As root the scripts run as the <c>rabbitmq</c> user (as Debian's wrapper would), so the directory is theirs.
/// </remarks>
public sealed class RabbitMqServer : IAsyncDisposable
{
    private const string User = "rabbitmq";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan CtlTimeout = TimeSpan.FromSeconds(60);

    private readonly string _root;
    private readonly string _server;
    private readonly string _ctl;
    private readonly Dictionary<string, string> _environment;
    private readonly bool _ownsEpmd;
    private ServerProcess? _epmd;
    private ServerProcess? _process;
    private bool _disposed;

    private RabbitMqServer(string root, IReadOnlyList<int> ports, string? nodeName = null, bool ownsEpmd = true)
    {
        _root = root;
        _ownsEpmd = ownsEpmd;

        // The real scripts, not Debian's /usr/sbin wrappers (those switch user with su and cd to /var/lib/rabbitmq).
        _server = ServerBinaries.Find("rabbitmq-server", "rabbitmq-server", "/usr/lib/rabbitmq/bin/rabbitmq-server");
        _ctl = ServerBinaries.Find("rabbitmqctl", "rabbitmq-server", "/usr/lib/rabbitmq/bin/rabbitmqctl");
        (Port, DistributionPort, EpmdPort) = (ports[0], ports[1], ports[2]);
        NodeName = nodeName ?? $"atrium_{Guid.NewGuid():N}"[..19] + "@localhost";
        _environment = new Dictionary<string, string>
        {
            ["HOME"] = root,
            ["ERL_EPMD_PORT"] = Text(EpmdPort),
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = Text(Port),
            ["RABBITMQ_DIST_PORT"] = Text(DistributionPort),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(root, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(root, "log"),
            ["RABBITMQ_PID_FILE"] = PidFile,
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(root, "enabled_plugins"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(root, "rabbitmq.conf"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(root, "advanced.config"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(root, "rabbitmq-env.conf"),

            // Erlang distribution (how rabbitmqctl talks to the node) listens on loopback only, like the rest.
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
        };
    }

    /// <summary>The AMQP port on 127.0.0.1.</summary>
    public int Port { get; }

    public int DistributionPort { get; }

    public int EpmdPort { get; }

    /// <summary>The Erlang node name, for <c>rabbitmqctl -n</c>.</summary>
    public string NodeName { get; }

    /// <summary>An AMQP URI for RabbitMQ.Client (<c>ConnectionFactory.Uri</c>): the default guest user, allowed from loopback.</summary>
    public string ConnectionString => $"amqp://guest:guest@127.0.0.1:{Port}/";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The last lines of the node's log file and of its console output.</summary>
    public string LogTail
    {
        get
        {
            var log = Path.Combine(_root, "log", NodeName + ".log");
            var lines = File.Exists(log) ? File.ReadLines(log).TakeLast(40) : [];
            return string.Join('\n', lines) + "\n--- console ---\n" + _process?.Tail();
        }
    }

    private string PidFile => Path.Combine(_root, "rabbitmq.pid");

    /// <summary>Starts a fresh node and waits until it has booted (rabbitmqctl await_startup).</summary>
    public static async Task<RabbitMqServer> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var root = TempDirectory.Create("atrium-rabbitmq");
        RabbitMqServer server;
        try
        {
            server = new RabbitMqServer(root, [LoopbackPort.Next(), LoopbackPort.Next(), LoopbackPort.Next()]);
        }
        catch (FileNotFoundException)
        {
            Command.TryDeleteDirectory(root);
            throw;
        }

        return await server.PrepareAndStartAsync(Guid.NewGuid().ToString("N").ToUpperInvariant(), cancellationToken);
    }

    /// <summary>
    /// A fresh node of a cluster (<see cref="RabbitMqCluster"/>) in <paramref name="root"/> (created here): its own
    /// ports, the cluster's node name, Erlang cookie and epmd (on <paramref name="epmdPort"/>, started and stopped by
    /// the cluster: the members find each other through it).
    /// </summary>
    internal static async Task<RabbitMqServer> StartMemberAsync(
        string root, string nodeName, int epmdPort, string cookie, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(root);
        var server = new RabbitMqServer(root, [LoopbackPort.Next(), LoopbackPort.Next(), epmdPort], nodeName, ownsEpmd: false);
        return await server.PrepareAndStartAsync(cookie, cancellationToken);
    }

    private async Task<RabbitMqServer> PrepareAndStartAsync(string cookieValue, CancellationToken cancellationToken)
    {
        var root = _root;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "mnesia"));
            Directory.CreateDirectory(Path.Combine(root, "log"));
            foreach (var empty in new[] { "enabled_plugins", "rabbitmq.conf", "rabbitmq-env.conf" })
            {
                await File.WriteAllTextAsync(Path.Combine(root, empty), "", cancellationToken);
            }

            // Erlang would create the cookie on first start; writing it first avoids a race with the first rabbitmqctl.
            var cookie = Path.Combine(root, ".erlang.cookie");
            await File.WriteAllTextAsync(cookie, cookieValue, cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
            }

            await Command.ChownAsync(root, User, cancellationToken);
            await StartAsync(cancellationToken);
            return this;
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <c>rabbitmqctl -n NODE ARGS</c> and returns its output; a failure throws with it.</summary>
    public async Task<string> CtlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        var result = await Command.RunCheckedAsync(
            Command.For(_ctl, ["-n", NodeName, "-q", .. arguments], User, _environment),
            CtlTimeout,
            cancellationToken);
        return result.StandardOutput.Trim();
    }

    /// <summary>The AMQP URI of virtual host <paramref name="virtualHost"/> (user guest).</summary>
    public string ConnectionStringFor(string virtualHost) => $"amqp://guest:guest@127.0.0.1:{Port}/{Uri.EscapeDataString(virtualHost)}";

    /// <summary>
    /// Creates virtual hosts, each with every permission for <c>guest</c>, in ONE <c>rabbitmqctl import_definitions</c>
    /// call (every rabbitmqctl call boots an Erlang VM, ≈ 0.6 s; a batch costs about the same as one).
    /// </summary>
    public async Task AddVirtualHostsAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default)
    {
        var definitions = new
        {
            vhosts = names.Select(name => new { name }),
            permissions = names.Select(name => new { user = "guest", vhost = name, configure = ".*", write = ".*", read = ".*" }),
        };
        var file = Path.Combine(_root, $"definitions-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, System.Text.Json.JsonSerializer.Serialize(definitions), cancellationToken);
        try
        {
            await CtlAsync(["import_definitions", file], cancellationToken);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Stops the broker application but keeps the node (<c>rabbitmqctl stop_app</c>): an outage; clients are disconnected.</summary>
    public Task StopAppAsync(CancellationToken cancellationToken = default) => CtlAsync(["stop_app"], cancellationToken);

    /// <summary>Starts the broker application again (<c>rabbitmqctl start_app</c>) and waits for the AMQP port.</summary>
    public async Task StartAppAsync(CancellationToken cancellationToken = default)
    {
        await CtlAsync(["start_app"], cancellationToken);
        await Poll.UntilAsync(token => Poll.IsListeningAsync(Port, token), StartTimeout, () => $"AMQP port {Port} did not open.", cancellationToken);
    }

    /// <summary>Starts the node on its existing data: after <see cref="KillAsync"/>. Durable queues and persistent messages are back.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsRunning)
        {
            throw new InvalidOperationException($"RabbitMQ node {NodeName} is already running.");
        }

        await StartEpmdAsync(cancellationToken);
        var process = ServerProcess.Start(Command.For(_server, [], User, _environment));
        _process = process;

        // The AMQP listener opens late in the boot; await_startup then confirms the boot has finished.
        await Poll.UntilAsync(
            async token =>
            {
                process.ThrowIfExited($"RabbitMQ node {NodeName}");
                return await Poll.IsListeningAsync(Port, token);
            },
            StartTimeout,
            () => $"RabbitMQ node {NodeName} did not open AMQP port {Port}. Its log:\n{LogTail}",
            cancellationToken,
            TimeSpan.FromMilliseconds(100));
        await CtlAsync(["await_startup"], cancellationToken);
    }

    /// <summary>
    /// SIGKILL to the node's Erlang VM and its helpers: a crash. <see cref="StartAsync"/> brings it back, with its
    /// durable queues and confirmed persistent messages. Measured on 3.10.8: a quorum queue killed within
    /// milliseconds of its declaration comes back without a leader (its Raft term was not on disk yet) and
    /// without its messages; one declared a second or more before the kill is fine.
    /// </summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_process is { } process)
        {
            await process.KillAsync();
            _process = null;
        }
    }

    /// <summary>Stops the node (<c>rabbitmqctl stop</c>, then SIGKILL to what is left), its epmd, and deletes its files.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_process is { } process)
        {
            try
            {
                // With the pid file, stop returns once the VM has exited.
                await CtlAsync(["stop", PidFile], CancellationToken.None);
                await process.WaitForExitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
            {
                // Killed below.
            }
            finally
            {
                await process.KillAsync();
                _process = null;
            }
        }

        if (_epmd is { } epmd)
        {
            await epmd.KillAsync();
            _epmd = null;
        }

        Command.TryDeleteDirectory(_root);
    }

    /// <summary>The pids of the node's processes and its epmd now (for tests of the fixtures' own cleanup).</summary>
    internal IReadOnlyList<int> ProcessIds() => [.. _process?.ProcessIds() ?? [], .. _epmd?.ProcessIds() ?? []];

    /// <summary>
    /// An epmd (the Erlang port mapper) on 127.0.0.1:<paramref name="port"/>, in the foreground (no -daemon) as our
    /// child: we know its pid and stop it with its node(s).
    /// </summary>
    internal static async Task<ServerProcess> StartEpmdAsync(int port, CancellationToken cancellationToken)
    {
        var epmd = ServerProcess.Start(Command.For(
            ServerBinaries.Find("epmd", "rabbitmq-server", "/usr/bin/epmd"),
            ["-port", Text(port), "-address", "127.0.0.1"]));
        try
        {
            await Poll.UntilAsync(
                async token =>
                {
                    epmd.ThrowIfExited($"epmd on port {port}");
                    return await Poll.IsListeningAsync(port, token);
                },
                TimeSpan.FromSeconds(10),
                () => $"epmd did not listen on port {port}:\n{epmd.Tail()}",
                cancellationToken);
            return epmd;
        }
        catch
        {
            await epmd.KillAsync();
            throw;
        }
    }

    private async Task StartEpmdAsync(CancellationToken cancellationToken)
    {
        if (!_ownsEpmd || _epmd is { HasExited: false })
        {
            return;
        }

        _epmd = await StartEpmdAsync(EpmdPort, cancellationToken);
    }

    private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);
}
