using Atrium.Links.Domain;

namespace Atrium.Links;

/// <summary>What editing a link came to.</summary>
internal abstract record EditLinkResult
{
    public sealed record Edited(Link Link) : EditLinkResult;

    public sealed record Invalid(string Message) : EditLinkResult;

    public sealed record NotFound : EditLinkResult;
}
