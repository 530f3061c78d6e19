namespace Atrium.Platform.Messaging;

/// <summary>A dead letter to store (<see cref="DeadLetterTable.InsertOnceAsync"/>); instants in unix ms.</summary>
internal sealed record NewDeadLetter(
    string Consumer, long EventId, string Type, string Payload, long OccurredAt, long Attempts, string Error, long FailedAt);
