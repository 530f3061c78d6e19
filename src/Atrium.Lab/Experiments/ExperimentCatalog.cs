namespace Atrium.Lab.Experiments;

/// <summary>Every experiment the Lab knows, in the order of DESIGN.md §5.</summary>
internal static class ExperimentCatalog
{
    public static IReadOnlyList<IExperiment> All { get; } =
    [
        new CacheExperiment(),
        new StampedeExperiment(),
        new FanOutExperiment(),
        new ShardingExperiment(),
        new RetriesExperiment(),
        new LoadBalancingExperiment(),
        new ReplicationExperiment(),
        new RateLimitExperiment(),
        new IdempotencyExperiment(),
    ];

    public static IExperiment? Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
}
