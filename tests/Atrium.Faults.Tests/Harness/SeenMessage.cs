namespace Atrium.Faults.Tests.Harness;

/// <summary>A chat message as a reader received it.</summary>
internal sealed record SeenMessage(long Seq, string ClientMessageId, string Text);
