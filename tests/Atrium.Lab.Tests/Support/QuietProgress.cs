using Atrium.Lab.Experiments;

namespace Atrium.Lab.Tests.Support;

/// <summary>Progress that goes nowhere, and contexts for running experiments in tests (always --quick).</summary>
internal sealed class QuietProgress : IProgressSink, IProgressStep
{
    public static ExperimentContext QuickContext(Uri? target = null) => new(quick: true, target, new QuietProgress());

    public IProgressStep Step(string description, double total) => this;

    public void Advance(double amount = 1)
    {
    }

    public void Complete()
    {
    }
}
