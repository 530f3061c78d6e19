using Atrium.Platform.Data;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Atrium.Accounts.Tests.Support;

/// <summary>Reads an app's tables directly, for what the API deliberately does not show (hashes, keys).</summary>
internal static class Database
{
    public static async Task<IReadOnlyList<T>> QueryAsync<T>(this TestApp app, string sql, object? parameters = null)
    {
        var database = app.Services.GetRequiredService<IDatabase>();
        await using var connection = await database.OpenPrimaryAsync(TestContext.Current.CancellationToken);
        var rows = await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: TestContext.Current.CancellationToken));
        return rows.AsList();
    }
}
