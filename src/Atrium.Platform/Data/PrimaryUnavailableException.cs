using System.Data.Common;

namespace Atrium.Platform.Data;

/// <summary>
/// No host of a multi-host primary connection string takes writes right now: every host is down or a standby, as
/// between a primary's crash and its standby's promotion. Npgsql reports that with a plain, non-transient
/// <c>NpgsqlException</c> ("No suitable host was found."); this one is transient, so a request answers 503 (nothing
/// was carried out, try again) instead of 500, and a pinned read falls back to a replica.
/// </summary>
internal sealed class PrimaryUnavailableException(string message, Exception innerException) : DbException(message, innerException)
{
    public override bool IsTransient => true;
}
