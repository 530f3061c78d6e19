namespace Atrium.Platform.Hosting;

/// <summary>
/// What a supervised body sees of its supervision: how many failures in a row preceded this run, and
/// <see cref="Healthy"/> to report that it works again (which resets the backoff and clears the service's failing state).
/// </summary>
public sealed class SupervisedRun
{
    private readonly ServiceStates _states;

    internal SupervisedRun(ServiceStates states, string service)
    {
        _states = states;
        Service = service;
    }

    public string Service { get; }

    /// <summary>Failures in a row before this run (0 on the first run and after <see cref="Healthy"/>).</summary>
    public int Failures { get; internal set; }

    /// <summary>Reports a successful step: the service is running again.</summary>
    public void Healthy()
    {
        if (Failures > 0)
        {
            Failures = 0;
            _states.Running(Service);
        }
    }
}
