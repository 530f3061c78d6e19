namespace Atrium.Platform.Messaging;

/// <summary>What a fired <see cref="FailPoint"/> does.</summary>
public enum FailPointAction
{
    /// <summary>The process SIGKILLs itself: no shutdown hooks, no flushing, exactly like <c>kill -9</c>.</summary>
    Kill,

    /// <summary>The code at the point throws, as a broken handler would.</summary>
    Throw,
}
