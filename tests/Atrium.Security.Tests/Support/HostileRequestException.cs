namespace Atrium.Security.Tests.Support;

/// <summary>An answer to a hostile request broke the invariant (a 5xx, a hang, or an error that is not ProblemDetails).</summary>
public sealed class HostileRequestException(string message) : Exception(message);
