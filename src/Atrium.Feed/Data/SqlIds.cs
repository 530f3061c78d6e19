using Atrium.Platform.Data;

namespace Atrium.Feed.Data;

/// <summary>"column is one of @ids" in each dialect: Dapper expands <c>IN @ids</c> on SQLite; Npgsql takes an array.</summary>
internal static class SqlIds
{
    public static string In(SqlDialect dialect, string column, string parameter) =>
        dialect == SqlDialect.Postgres ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";
}
