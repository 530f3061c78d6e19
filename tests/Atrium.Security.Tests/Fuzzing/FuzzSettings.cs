using System.Globalization;

namespace Atrium.Security.Tests.Fuzzing;

/// <summary>
/// How hard the generated tests push: <c>ATRIUM_FUZZ_ITERATIONS</c> generated requests per operation (default 25,
/// sized for CI), and <c>ATRIUM_FUZZ_SEED</c> to replay a failing run (CsCheck prints the seed of a failure).
/// </summary>
internal static class FuzzSettings
{
    public const int DefaultIterations = 25;

    public static long Iterations { get; } =
        long.TryParse(Environment.GetEnvironmentVariable("ATRIUM_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : DefaultIterations;

    public static string? Seed { get; } = Environment.GetEnvironmentVariable("ATRIUM_FUZZ_SEED") is { Length: > 0 } seed ? seed : null;
}
