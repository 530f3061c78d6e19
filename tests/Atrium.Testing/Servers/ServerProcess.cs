using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Atrium.Testing.Servers;

/// <summary>
/// A long-running server as a child of the test process (never daemonized: a daemon is re-parented to pid 1,
/// which on these machines reaps only every second or so, and a zombie postmaster still "holds" its data
/// directory). Keeps the last lines it printed for error messages, and kills its whole tree by pid.
/// </summary>
internal sealed class ServerProcess
{
    private const int TailLines = 60;

    // Last resort for a test run that ends without disposing its fixtures. .NET raises no ProcessExit on SIGTERM
    // (checked here), hence the signal handlers; Ctrl+C reaches the servers themselves (same process group), and
    // nothing helps against SIGKILL.
    private static readonly ConcurrentDictionary<ServerProcess, byte> Running = new();
    private static readonly PosixSignalRegistration[] Signals =
    [
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillAll()),
        PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => KillAll()),
    ];

    private readonly Process _process;
    private readonly bool _wrapper;
    private readonly Queue<string> _tail = new();

    static ServerProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    private ServerProcess(Process process, bool wrapper)
    {
        _process = process;
        _wrapper = wrapper;
    }

    /// <summary>The pid of the process started (runuser when it switches user, else the server itself).</summary>
    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ServerProcess Start(ProcessStartInfo start)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Command.Describe(start)}.");
        var server = new ServerProcess(process, wrapper: start.FileName == "runuser");
        Running[server] = 0;
        process.OutputDataReceived += (_, line) => server.Remember(line.Data);
        process.ErrorDataReceived += (_, line) => server.Remember(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return server;
    }

    /// <summary>The last lines the server printed on stdout and stderr.</summary>
    public string Tail()
    {
        lock (_tail)
        {
            return string.Join('\n', _tail);
        }
    }

    /// <summary>Throws with the output tail when the server has exited (e.g. during start-up).</summary>
    public void ThrowIfExited(string what)
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"{what} exited with code {_process.ExitCode}. Its last output:\n{Tail()}");
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL to the server and everything it started, then waits until they are all dead.</summary>
    public async Task KillAsync()
    {
        // Once the root has exited (and been reaped) its pid may belong to someone else: leave it alone.
        if (!_process.HasExited)
        {
            var killed = KillTree(waitForWrapper: true);
            if (!await WaitForExitAsync(TimeSpan.FromSeconds(3)))
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }

            await ProcessTree.WaitUntilDeadAsync(killed, TimeSpan.FromSeconds(10));
        }

        Forget();
    }

    /// <summary>Call once the server has exited by itself (a clean stop).</summary>
    public void Forget()
    {
        Running.TryRemove(this, out _);
        _process.Dispose();
    }

    /// <summary>All pids of the tree right now, the root first.</summary>
    public IReadOnlyList<int> ProcessIds() => [_process.Id, .. ProcessTree.Descendants(_process.Id)];

    private static void KillAll()
    {
        foreach (var server in Running.Keys)
        {
            try
            {
                if (!server.HasExited)
                {
                    server.KillTree(waitForWrapper: false);
                }
            }
            catch (InvalidOperationException)
            {
                // Disposed by a fixture at the same moment.
            }
        }
    }

    private IReadOnlyList<int> KillTree(bool waitForWrapper)
    {
        // Snapshot first: once a parent dies its children are re-parented to pid 1 and no longer found from here.
        var descendants = ProcessTree.Descendants(_process.Id);

        // Top down, so a parent cannot fork a replacement for a child killed before it. A wrapper (runuser) is
        // left to reap its child and exit by itself: killing it first would leave a zombie postmaster whose pid
        // still looks alive to the next postgres on the same data directory.
        if (!_wrapper || !waitForWrapper)
        {
            ProcessTree.Kill(_process.Id);
        }

        foreach (var pid in descendants)
        {
            ProcessTree.Kill(pid);
        }

        return descendants;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }
}
