namespace Atrium.Platform.Data;

/// <summary>The SQL dialect of the database a deployment runs on; picks migration scripts and the rare per-dialect query.</summary>
public enum SqlDialect
{
    Sqlite,
    Postgres,
}
