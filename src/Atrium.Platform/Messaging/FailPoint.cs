namespace Atrium.Platform.Messaging;

/// <summary>One armed fail point of <see cref="FailPoints"/>: its name, what it does, and on which pass.</summary>
/// <param name="Name">The point, e.g. <c>outbox.after-confirm</c> or <c>consumer.throw:links.click-aggregator</c>.</param>
/// <param name="Action">What happens when it fires.</param>
/// <param name="OnlyPass">Fire on this pass only (1-based, from <c>name@N</c>); null: on every pass.</param>
public sealed record FailPoint(string Name, FailPointAction Action, long? OnlyPass);
