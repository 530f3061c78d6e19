namespace Atrium.Chat.Domain;

/// <summary>Client-chosen identifiers (<c>clientMessageId</c>, <c>device</c>): 1–64 visible ASCII characters.</summary>
internal static class ClientIds
{
    public static bool IsValid(string? value) =>
        !string.IsNullOrEmpty(value)
        && value.Length <= ChatLimits.MaxClientMessageIdLength
        && value.All(c => c is > ' ' and <= '~');
}
