using System.Collections.Concurrent;
using System.Diagnostics;

namespace Atrium.Lab.Systems;

/// <summary>
/// A server the Lab started (PostgreSQL, Redis, an Atrium, a gateway) as a child process: its last output lines
/// for error messages, and a kill of its whole tree by pid. As root, tools that refuse root (initdb, postgres) run
/// as their own user through <c>runuser</c>. Every child still running when the Lab exits is killed.
/// </summary>
internal sealed class ChildProcess
{
    private const int TailLines = 40;
    private static readonly ConcurrentDictionary<ChildProcess, byte> Running = new();
    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    static ChildProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var child in Running.Keys)
        {
            child.Kill();
        }
    };

    private ChildProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    public static ProcessStartInfo For(string file, IEnumerable<string> arguments, string? user = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        if (user is not null && Environment.IsPrivilegedProcess)
        {
            start.FileName = "runuser";
            foreach (var argument in new[] { "-u", user, "--", "env" })
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                start.ArgumentList.Add($"{key}={value}");
            }

            start.ArgumentList.Add(file);
        }
        else
        {
            start.FileName = file;
            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[key] = value;
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    public static ChildProcess Start(ProcessStartInfo start)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Describe(start)}.");
        var child = new ChildProcess(process);
        Running[child] = 0;
        process.OutputDataReceived += (_, line) => child.Remember(line.Data);
        process.ErrorDataReceived += (_, line) => child.Remember(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return child;
    }

    /// <summary>Runs a tool to completion; a non-zero exit code throws with its output.</summary>
    public static async Task<string> RunAsync(ProcessStartInfo start, CancellationToken cancellationToken)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Describe(start)}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = await output + await error;
        return process.ExitCode == 0 ? text : throw new InvalidOperationException($"{Describe(start)} exited with code {process.ExitCode}:\n{text}");
    }

    public string Tail()
    {
        lock (_tail)
        {
            return string.Join('\n', _tail);
        }
    }

    public void ThrowIfExited(string what)
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"{what} exited with code {_process.ExitCode}. Its last output:\n{Tail()}");
        }
    }

    /// <summary>SIGKILL to the process and everything it started; waits (briefly) for it to be gone.</summary>
    public async Task StopAsync()
    {
        Kill();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // Left to the OS; nothing more to do from here.
        }

        Running.TryRemove(this, out _);
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited (or disposed) meanwhile.
        }
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

    private static string Describe(ProcessStartInfo start) => string.Join(' ', [start.FileName, .. start.ArgumentList]);
}
