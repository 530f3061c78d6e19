namespace Atrium.Testing;

/// <summary>
/// Which shape the behaviour tests run against: <c>ATRIUM_TEST_SHAPE</c> = <c>embedded</c> (the default: SQLite,
/// in-process everything) or <c>distributed</c> (real PostgreSQL primary + replica, shared by the test process:
/// <see cref="DistributedServers"/>).
/// </summary>
public static class TestShape
{
    public const string Variable = "ATRIUM_TEST_SHAPE";

    public static bool IsDistributed { get; } = Read() switch
    {
        "" or "embedded" => false,
        "distributed" => true,
        var other => throw new InvalidOperationException($"{Variable}={other}: use 'embedded' or 'distributed'."),
    };

    /// <summary>For <c>[Fact(Skip = ..., SkipWhen = ...)]</c>: true in the distributed shape.</summary>
    public static bool Distributed => IsDistributed;

    /// <summary>For <c>[Fact(Skip = ..., SkipUnless = ...)]</c>: true in the embedded shape.</summary>
    public static bool Embedded => !IsDistributed;

    private static string Read() => (Environment.GetEnvironmentVariable(Variable) ?? "").Trim().ToLowerInvariant();
}
