namespace Atrium.Chat.Data;

/// <summary>
/// A message as a send left it: the stored row, whether it was a retry of an earlier send (then nothing new was
/// written and <see cref="Targets"/> is empty), and the stream events the send appended.
/// </summary>
internal sealed record StoredMessage(MessageRow Message, bool Duplicate, IReadOnlyList<StreamTarget> Targets);
