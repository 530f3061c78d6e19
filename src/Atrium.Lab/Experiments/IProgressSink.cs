namespace Atrium.Lab.Experiments;

/// <summary>Where an experiment reports progress: a step with a total, advanced as it goes (a progress bar in the CLI).</summary>
internal interface IProgressSink
{
    IProgressStep Step(string description, double total);
}

/// <summary>One step of an experiment's progress.</summary>
internal interface IProgressStep
{
    void Advance(double amount = 1);

    void Complete();
}
