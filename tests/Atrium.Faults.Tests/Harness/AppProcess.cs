using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Atrium.Testing;

namespace Atrium.Faults.Tests.Harness;

/// <summary>
/// A built ASP.NET Core app of this repository (an Atrium server, the gateway) as its own OS process on a fixed
/// loopback port: <see cref="KillAsync"/> is SIGKILL and <see cref="StartAsync"/> brings it back on the same port and
/// settings (so the gateway's destination list stays right). Its console output is kept (the last lines) so tests can
/// look for log lines such as the Redis circuit breaker's.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private const int KeptLines = 4000;
    private const string TimestampFormat = "HH:mm:ss.fff ";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    // Last resort for a run that ends without disposing the fixture (as Atrium.Testing's ServerProcess does): .NET
    // raises no ProcessExit on SIGTERM, hence the signal handlers. Nothing helps against SIGKILL.
    private static readonly ConcurrentDictionary<AppProcess, byte> Running = new();
    private static readonly PosixSignalRegistration[] Signals =
    [
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillAll()),
        PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => KillAll()),
    ];

    private readonly string _dll;
    private readonly string _healthPath;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;

    static AppProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    public AppProcess(string name, string dll, string healthPath, IReadOnlyDictionary<string, string> settings)
    {
        Name = name;
        _dll = dll;
        _healthPath = healthPath;
        _settings = settings;
        BaseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Lines the process wrote since it was first started (all its lives), oldest first.</summary>
    public IReadOnlyList<string> Log => [.. _log];

    public HttpClient CreateClient(TimeSpan? timeout = null) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = BaseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };

    /// <summary>Starts the process (again, after a kill) and waits until its health path answers 2xx.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { _dll, "--urls", BaseAddress.ToString() },
            WorkingDirectory = Path.GetDirectoryName(_dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = TimestampFormat;
        start.Environment["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true";
        foreach (var (key, value) in _settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"dotnet did not start {Name}.");
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Running[this] = 0;
        Keep($"--- {Name} started (pid {process.Id}) ---");
        await WaitUntilHealthyAsync(process, cancellationToken);
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; what survives is what was durably committed.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
            _process = null;
            Running.TryRemove(this, out _);
            Keep($"--- {Name} killed ---");
        }
    }

    /// <summary>Whether the process logged a line containing <paramref name="text"/> at or after line <paramref name="from"/>.</summary>
    public bool Logged(string text, int from = 0) => Log.Skip(from).Any(l => l.Contains(text, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// When the process logged the first line containing <paramref name="text"/> at or after line <paramref name="from"/>
    /// (its own UTC timestamp, the nearest such instant to now); null when it has not.
    /// </summary>
    public DateTimeOffset? LoggedAt(string text, int from = 0)
    {
        var line = Log.Skip(from).FirstOrDefault(l => l.Contains(text, StringComparison.OrdinalIgnoreCase));
        if (line is null || line.Length < TimestampFormat.Length
            || !TimeOnly.TryParseExact(line[..(TimestampFormat.Length - 1)], TimestampFormat.TrimEnd(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return null;
        }

        var now = DateTimeOffset.UtcNow;
        var today = new DateTimeOffset(DateOnly.FromDateTime(now.UtcDateTime).ToDateTime(time), TimeSpan.Zero);
        return today - now > TimeSpan.FromHours(12) ? today.AddDays(-1) : today;
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    private static void KillAll()
    {
        foreach (var app in Running.Keys)
        {
            try
            {
                app._process?.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // already gone
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > KeptLines && _log.TryDequeue(out _))
        {
        }
    }

    private async Task WaitUntilHealthyAsync(Process process, CancellationToken cancellationToken)
    {
        using var client = CreateClient(TimeSpan.FromSeconds(5));
        var started = Stopwatch.StartNew();
        while (started.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {process.ExitCode} during start-up:\n{Tail()}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(_healthPath, UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A slow first answer.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"{Name} at {BaseAddress} did not become healthy within {StartTimeout.TotalSeconds:0} s:\n{Tail()}");
    }

    private string Tail() => string.Join('\n', Log.TakeLast(40));
}
