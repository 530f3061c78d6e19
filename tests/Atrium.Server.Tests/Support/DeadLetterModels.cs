namespace Atrium.Server.Tests.Support;

/// <summary>A page of <c>GET /api/v1/admin/dead-letters</c> as the wire shows it.</summary>
internal sealed record DeadLetterPageBody(IReadOnlyList<DeadLetterBody> Items, long? NextAfter);

internal sealed record DeadLetterBody(
    long Id, string Consumer, long EventId, string Type, string Payload, DateTimeOffset OccurredAt, int Attempts, string LastError, DateTimeOffset FailedAt);
