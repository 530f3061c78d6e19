using System.Globalization;

namespace Atrium.Lab.Systems;

/// <summary>
/// A built ASP.NET Core app of this repository (an Atrium server, the gateway) as its own process on a free loopback
/// port, configured through environment variables (<c>Section__Key</c>), healthy before it is returned.
/// </summary>
internal sealed class DotnetApp : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private DotnetApp(ChildProcess process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Starts <paramref name="dll"/> and waits until <paramref name="healthPath"/> answers 2xx.</summary>
    public static async Task<DotnetApp> StartAsync(string dll, IReadOnlyDictionary<string, string> settings, string healthPath, CancellationToken cancellationToken)
    {
        var address = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{LoopbackPorts.Next()}"));
        var environment = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning", ["DOTNET_gcServer"] = "0" };
        foreach (var (key, value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var start = ChildProcess.For("dotnet", [dll, "--urls", address.ToString()], environment: environment);
        start.WorkingDirectory = Path.GetDirectoryName(dll)!;
        var app = new DotnetApp(ChildProcess.Start(start), address);
        try
        {
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
            await Wait.UntilAsync(
                async ct =>
                {
                    app._process.ThrowIfExited($"{Path.GetFileNameWithoutExtension(dll)} at {address}");
                    try
                    {
                        using var response = await http.GetAsync(new Uri(healthPath, UriKind.Relative), ct);
                        return response.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                    catch (TaskCanceledException) when (!ct.IsCancellationRequested)
                    {
                        return false;
                    }
                },
                TimeSpan.FromSeconds(90), () => $"{Path.GetFileNameWithoutExtension(dll)} at {address} did not become healthy:\n{app._process.Tail()}", cancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => new(_process.StopAsync());
}
