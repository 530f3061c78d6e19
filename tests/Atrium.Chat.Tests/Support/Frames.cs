using System.Text.Json;

namespace Atrium.Chat.Tests.Support;

/// <summary>Reading protocol frames in tests.</summary>
internal static class Frames
{
    public static string? Type(this JsonElement frame) =>
        frame.TryGetProperty("type", out var type) ? type.GetString() : null;

    public static long Pos(this JsonElement frame) => frame.GetProperty("pos").GetInt64();

    public static bool IsMessage(this JsonElement frame, string conversationId) =>
        frame.Type() == "message" && frame.GetProperty("message").GetProperty("conversationId").GetString() == conversationId;

    public static string Text(this JsonElement frame) => frame.GetProperty("message").GetProperty("text").GetString()!;

    public static long Seq(this JsonElement frame) => frame.GetProperty("message").GetProperty("seq").GetInt64();
}
