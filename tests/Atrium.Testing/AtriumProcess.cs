using System.Diagnostics;

namespace Atrium.Testing;

/// <summary>
/// The real Atrium server as a separate OS process (the built <c>Atrium.Server.dll</c> next to the test
/// assembly), on a free loopback port and a given data directory: for tests that kill it with SIGKILL
/// and start it again on the same data (in the distributed shape: on the same database of the shared servers).
/// </summary>
public sealed class AtriumProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AtriumProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public static async Task<AtriumProcess> StartAsync(string dataDirectory, CancellationToken cancellationToken, IDictionary<string, string>? settings = null)
    {
        var server = Path.Combine(AppContext.BaseDirectory, "Atrium.Server.dll");
        if (!File.Exists(server))
        {
            throw new FileNotFoundException("Atrium.Server.dll is not next to the test assembly; reference the Atrium.Server project.", server);
        }

        var baseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { server, "--urls", baseAddress.ToString() },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Atrium__DataDirectory"] = dataDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // The distributed shape: the shared real servers; a restart on the same data directory finds the same database.
        if (TestShape.IsDistributed && settings?.ContainsKey("ConnectionStrings:Postgres") != true)
        {
            foreach (var (key, value) in await DistributedServers.SettingsForAsync(dataDirectory))
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var atrium = new AtriumProcess(process, baseAddress);
        await atrium.WaitUntilAliveAsync(cancellationToken);
        return atrium;
    }

    public HttpClient CreateClient() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress };

    /// <summary>SIGKILL: no shutdown hooks, no flushing; what survives is what was durably committed.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private async Task WaitUntilAliveAsync(CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Atrium exited with code {_process.ExitCode} during start-up.");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"Atrium did not become healthy at {BaseAddress} within 60 s.");
    }
}
