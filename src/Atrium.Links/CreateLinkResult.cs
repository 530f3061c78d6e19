using Atrium.Links.Domain;

namespace Atrium.Links;

/// <summary>What creating a link came to.</summary>
internal abstract record CreateLinkResult
{
    public sealed record Created(Link Link, bool Replayed) : CreateLinkResult;

    public sealed record Invalid(string Message) : CreateLinkResult;

    public sealed record Conflict(string Message) : CreateLinkResult;

    public sealed record KeyReused(string Message) : CreateLinkResult;
}
