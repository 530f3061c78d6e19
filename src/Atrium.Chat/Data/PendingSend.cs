namespace Atrium.Chat.Data;

/// <summary>A send waiting for its turn in a <see cref="SendBatcher"/> batch, and what to do once it is committed.</summary>
internal sealed record PendingSend(
    long ConversationId, long Sender, string ClientMessageId, string Text, Func<StoredMessage, CancellationToken, Task> AfterCommit)
{
    public TaskCompletionSource<StoredMessage?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
