using BenchmarkDotNet.Running;

namespace Atrium.Benchmarks;

/// <summary>
/// Runs the benchmarks, e.g. <c>dotnet run -c Release --project bench/Atrium.Benchmarks -- --filter "*" --job short</c>.
/// Exits non-zero when a benchmark failed or none ran, so CI's dry job (<c>--filter "*" --job dry</c>: each benchmark
/// once) catches one that no longer builds or throws.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args).ToList();
        var ran = summaries.Sum(s => s.Reports.Length);
        var failed = summaries.Sum(s => s.Reports.Count(r => !r.Success)) + summaries.Count(s => s.HasCriticalValidationErrors);
        if (args.Contains("--list", StringComparer.Ordinal) || args.Contains("--help", StringComparer.Ordinal))
        {
            return 0;
        }

        Console.WriteLine($"benchmarks: {ran} ran, {failed} failed");
        return ran > 0 && failed == 0 ? 0 : 1;
    }
}
