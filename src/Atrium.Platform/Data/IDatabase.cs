using System.Data.Common;

namespace Atrium.Platform.Data;

/// <summary>
/// The connection factory every module uses. Writes (and reads that must see them) go to the primary;
/// reads that may be slightly stale may go to a replica in the distributed shape.
/// </summary>
public interface IDatabase
{
    SqlDialect Dialect { get; }

    /// <summary>An open connection to the primary, for writes and read-after-write.</summary>
    Task<DbConnection> OpenPrimaryAsync(CancellationToken cancellationToken);

    /// <summary>An open connection for reads that tolerate replication lag.</summary>
    Task<DbConnection> OpenReadAsync(CancellationToken cancellationToken);
}
