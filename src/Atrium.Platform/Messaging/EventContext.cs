using System.Data.Common;

namespace Atrium.Platform.Messaging;

/// <summary>What a handler gets besides the event: its id and the transaction its effects must use.</summary>
public sealed record EventContext(long EventId, DateTimeOffset OccurredAt, DbConnection Connection, DbTransaction Transaction);
