using System.Diagnostics;
using System.Globalization;
using Atrium.Platform.Messaging;
using Atrium.Testing;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>
/// One Atrium server process of a messaging scenario, on the scenario's database and virtual host, with fast
/// messaging settings and, optionally, armed fail points (<see cref="FailPoints"/>). It can be killed (SIGKILL),
/// paused (SIGSTOP / SIGCONT) and started again on the same data, with or without its fail points.
/// </summary>
public sealed class AtriumNode : IAsyncDisposable
{
    public const string AdminKey = "faults-admin-key";

    private readonly ClusterSlice _slice;
    private readonly IReadOnlyDictionary<string, string> _extra;
    private readonly string _dataDirectory = TempDirectory.Create("atrium-faults-node");
    private AtriumProcess? _process;

    private AtriumNode(string name, ClusterSlice slice, IReadOnlyDictionary<string, string> extra)
    {
        Name = name;
        _slice = slice;
        _extra = extra;
    }

    public string Name { get; }

    /// <summary>The fail points the running process was started with ("" for none).</summary>
    public string FailPointsArmed { get; private set; } = "";

    public AtriumProcess Process => _process ?? throw new InvalidOperationException($"Node {Name} is not running.");

    /// <summary>Whether the process is gone (killed itself at a fail point, or was killed).</summary>
    public bool HasExited
    {
        get
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(Process.ProcessId);
                return process.HasExited;
            }
            catch (ArgumentException)
            {
                return true; // no such process any more (it was reaped)
            }
        }
    }

    /// <summary>Starts a node; <paramref name="failPoints"/> arms <c>Atrium:FailPoints</c>.</summary>
    public static async Task<AtriumNode> StartAsync(
        string name, ClusterSlice slice, CancellationToken cancellationToken, string failPoints = "", IReadOnlyDictionary<string, string>? settings = null)
    {
        var node = new AtriumNode(name, slice, settings ?? new Dictionary<string, string>());
        await node.StartProcessAsync(failPoints, cancellationToken);
        return node;
    }

    public HttpClient CreateClient()
    {
        var client = Process.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        return client;
    }

    /// <summary>SIGKILL, then a fresh process on the same data with <paramref name="failPoints"/> (none by default).</summary>
    public async Task RestartAsync(CancellationToken cancellationToken, string failPoints = "")
    {
        await KillAsync();
        await StartProcessAsync(failPoints, cancellationToken);
    }

    /// <summary>SIGKILL (a no-op on a process that already died).</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            await process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>SIGSTOP: the process freezes with its sockets open, as in a long GC pause or a VM stall.</summary>
    public Task PauseAsync(CancellationToken cancellationToken) => SignalAsync("STOP", cancellationToken);

    /// <summary>SIGCONT: the frozen process carries on where it was.</summary>
    public Task ResumeAsync(CancellationToken cancellationToken) => SignalAsync("CONT", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            await process.DisposeAsync();
            _process = null;
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory.
        }
    }

    private async Task StartProcessAsync(string failPoints, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = _slice.Postgres,
            ["ConnectionStrings:RabbitMQ"] = _slice.RabbitMq,
            ["Atrium:AdminKey"] = AdminKey,
            ["Atrium:Messaging:PollInterval"] = "00:00:00.050",
            ["Atrium:Messaging:RetryBaseDelay"] = "00:00:00.020",
            ["Atrium:Messaging:RetryMaxDelay"] = "00:00:00.500",
            ["Links:ClickFlushInterval"] = "00:00:00.050",
            ["Links:CreatePerMinute"] = "60000",
            ["Links:CreateBurst"] = "10000",
            ["Links:AnonymousCreatePerMinute"] = "60000",
            ["Links:AnonymousCreateBurst"] = "10000",
            ["Links:ManagePerMinute"] = "60000",
            ["Links:ManageBurst"] = "10000",
            ["Feed:PostsPerMinute"] = "60000",
            ["Feed:PostsBurst"] = "10000",
            ["Accounts:PasswordIterations"] = "1000",
            ["Accounts:RegistrationBurst"] = "100000",
            ["Accounts:RegistrationsPerHour"] = "1000000",
            [FailPoints.Setting] = failPoints,
        };
        foreach (var (key, value) in _extra)
        {
            settings[key] = value;
        }

        _process = await AtriumProcess.StartAsync(_dataDirectory, cancellationToken, settings);
        FailPointsArmed = failPoints;
    }

    private async Task SignalAsync(string signal, CancellationToken cancellationToken)
    {
        if (_process is not { } process)
        {
            return;
        }

        using var kill = System.Diagnostics.Process.Start(new ProcessStartInfo("kill", ["-" + signal, process.ProcessId.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync(cancellationToken);
    }
}
