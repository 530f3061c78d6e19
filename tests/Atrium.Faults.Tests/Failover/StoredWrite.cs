namespace Atrium.Faults.Tests.Failover;

/// <summary>A row of <see cref="StoredWrites"/>: the workload's content (a link's target, a post's text, a message's client id) and what the system stored it under.</summary>
internal sealed record StoredWrite(string Content, string Value);
