using Atrium.Testing;
using Xunit;

namespace Atrium.Server.Tests.Support;

/// <summary>Requests to the operator endpoints, with or without the admin key.</summary>
internal static class AdminRequests
{
    public const string DeadLetters = "/api/v1/admin/dead-letters";

    public static Task<HttpResponseMessage> SendAdminAsync(this HttpClient client, HttpMethod method, string path, string? key = AtriumApp.AdminKey)
    {
        var request = new HttpRequestMessage(method, Api.Relative(path));
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Admin-Key", key);
        }

        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<DeadLetterPageBody> ListDeadLettersAsync(this HttpClient client)
    {
        using var response = await client.SendAdminAsync(HttpMethod.Get, $"{DeadLetters}?limit=200");
        return await Api.ReadJsonAsync<DeadLetterPageBody>(response);
    }
}
