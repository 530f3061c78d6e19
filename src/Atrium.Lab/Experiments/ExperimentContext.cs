namespace Atrium.Lab.Experiments;

/// <summary>
/// How an experiment runs: <see cref="Quick"/> (the short form CI runs: same code, fewer and shorter steps),
/// <see cref="Target"/> (an Atrium already running, or null to start what it needs), and progress reporting.
/// </summary>
internal sealed class ExperimentContext(bool quick, Uri? target, IProgressSink progress)
{
    public bool Quick { get; } = quick;

    public Uri? Target { get; } = target;

    public IProgressSink Progress { get; } = progress;

    /// <summary><paramref name="full"/> normally, <paramref name="quick"/> in quick mode.</summary>
    public T Pick<T>(T full, T quick) => Quick ? quick : full;
}
