using System.Globalization;

namespace Atrium.Chat.Domain;

/// <summary>The keyset cursor of the conversation list: the last item's activity (unix ms) and id, as "activity.id".</summary>
internal static class ConversationCursor
{
    public static string Encode(long lastActivity, long id) =>
        string.Create(CultureInfo.InvariantCulture, $"{lastActivity}.{id}");

    public static bool TryParse(string? cursor, out long lastActivity, out long id)
    {
        lastActivity = id = 0;
        var parts = cursor?.Split('.') ?? [];
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out lastActivity)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }
}
