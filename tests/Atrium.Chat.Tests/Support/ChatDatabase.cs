using Atrium.Platform.Data;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Atrium.Chat.Tests.Support;

/// <summary>Reads of the app's own database (the primary), for assertions on state no API shows.</summary>
internal static class ChatDatabase
{
    public static async Task<T> ScalarAsync<T>(this ChatFixture fixture, string sql, object? parameters = null)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = await fixture.App.Services.GetRequiredService<IDatabase>().OpenPrimaryAsync(ct);
        return (await connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: ct)))!;
    }

    public static async Task<int> ExecuteAsync(this ChatFixture fixture, string sql, object? parameters = null)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = await fixture.App.Services.GetRequiredService<IDatabase>().OpenPrimaryAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: ct));
    }

    public static Task<long> UserIdAsync(this ChatFixture fixture, ChatUser user) =>
        fixture.ScalarAsync<long>("SELECT id FROM accounts_users WHERE username = @username", new { username = user.Username });
}
