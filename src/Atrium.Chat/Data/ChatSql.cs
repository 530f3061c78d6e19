using Atrium.Platform.Data;

namespace Atrium.Chat.Data;

/// <summary>The few SQL fragments that differ between the dialects.</summary>
internal static class ChatSql
{
    /// <summary>"column is one of @name": <c>= ANY(@name)</c> on PostgreSQL, Dapper's list expansion <c>IN @name</c> on SQLite.</summary>
    public static string InList(this SqlDialect dialect, string column, string parameter) =>
        dialect == SqlDialect.Postgres ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";

    /// <summary>
    /// PostgreSQL only: locks the stream heads of the given users in user-id order before a multi-row UPDATE, so two
    /// transactions that append to overlapping sets of streams queue instead of deadlocking. SQLite has one writer.
    /// </summary>
    public static string? LockHeads(this SqlDialect dialect, string userFilter) =>
        dialect == SqlDialect.Postgres
            ? $"SELECT user_id FROM chat_user_heads WHERE {userFilter} ORDER BY user_id FOR UPDATE"
            : null;
}
