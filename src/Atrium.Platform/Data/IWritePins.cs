namespace Atrium.Platform.Data;

/// <summary>
/// Read-your-writes: which users wrote recently, so that their reads go to the primary until the replicas
/// have caught up. The in-process <see cref="LocalWritePins"/> serves one node; a shared store (Redis)
/// replaces it so a pin set on one node holds on every node.
/// </summary>
public interface IWritePins
{
    /// <summary>Pins <paramref name="userId"/>'s reads to the primary for <see cref="DatabaseOptions.PinDuration"/>, from now.</summary>
    ValueTask PinAsync(long userId, CancellationToken ct);

    /// <summary>True while <paramref name="userId"/>'s reads must go to the primary.</summary>
    ValueTask<bool> IsPinnedAsync(long userId, CancellationToken ct);
}
