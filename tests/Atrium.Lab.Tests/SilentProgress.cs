using Atrium.Lab.Experiments;

namespace Atrium.Lab.Tests;

/// <summary>Progress reporting that goes nowhere, for experiments run by tests.</summary>
internal sealed class SilentProgress : IProgressSink
{
    public static ExperimentContext QuickContext() => new(quick: true, target: null, new SilentProgress());

    public IProgressStep Step(string description, double total) => new NoStep();

    private sealed class NoStep : IProgressStep
    {
        public void Advance(double amount = 1)
        {
        }

        public void Complete()
        {
        }
    }
}
