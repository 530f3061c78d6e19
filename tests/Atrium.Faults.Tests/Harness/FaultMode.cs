namespace Atrium.Faults.Tests.Harness;

/// <summary>What a <see cref="FaultProxy"/> does to the bytes it forwards.</summary>
public enum FaultMode
{
    /// <summary>Forwards everything as it comes.</summary>
    Pass,

    /// <summary>Holds every chunk, in both directions, for the configured latency before forwarding it.</summary>
    Latency,

    /// <summary>Resets every open connection and every new one at once (a crashed or firewalled server).</summary>
    Reset,

    /// <summary>
    /// Forwards requests to the server, but resets the client's connection instead of forwarding the server's answer,
    /// with the configured probability per answer: the request took effect, the client cannot know (HTTP's unknown).
    /// </summary>
    DropResponses,
}
