using Atrium.Lab.Experiments;
using Spectre.Console;

namespace Atrium.Lab.Commands;

/// <summary>Progress bars on the console for an experiment's steps.</summary>
internal sealed class SpectreProgress(ProgressContext progress) : IProgressSink
{
    public IProgressStep Step(string description, double total) => new Bar(progress.AddTask(Markup.Escape(description), maxValue: Math.Max(total, 1)));

    private sealed class Bar(ProgressTask task) : IProgressStep
    {
        public void Advance(double amount = 1) => task.Increment(amount);

        public void Complete()
        {
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }
}
