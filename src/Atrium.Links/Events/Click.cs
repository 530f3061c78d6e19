namespace Atrium.Links.Events;

/// <summary>One redirect as the hot path records it: raw strings only, classified later off the request path.</summary>
internal readonly record struct Click(string Code, long AtMs, string? Referer, string? UserAgent);
