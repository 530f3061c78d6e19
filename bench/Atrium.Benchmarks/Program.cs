using BenchmarkDotNet.Running;

namespace Atrium.Benchmarks;

/// <summary>
/// Runs the benchmarks, e.g. <c>dotnet run -c Release --project bench/Atrium.Benchmarks -- --filter "*" --job short</c>.
/// </summary>
internal static class Program
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
