using System.Net;
using System.Text.Json;
using Atrium.Accounts.Tests.Support;
using Xunit;

namespace Atrium.Accounts.Tests;

/// <summary>The accounts API is described in the OpenAPI document.</summary>
public sealed class OpenApiTests(SharedApp app) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Every_accounts_endpoint_is_in_the_openapi_document()
    {
        using var response = await app.CreateClient().GetAsync(Api.Relative("/openapi/v1.json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonDocument.Parse(await response.TextAsync()).RootElement.GetProperty("paths");

        foreach (var (path, method) in new[]
        {
            ("/api/v1/accounts", "post"), ("/api/v1/me", "get"), ("/api/v1/users/{username}", "get"),
            ("/api/v1/sessions", "post"), ("/api/v1/sessions", "delete"), ("/api/v1/sessions/refresh", "post"),
            ("/api/v1/api-keys", "post"), ("/api/v1/api-keys", "get"), ("/api/v1/api-keys/{id}", "delete"),
        })
        {
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out _), $"{method.ToUpperInvariant()} {path} is not documented");
        }
    }
}
