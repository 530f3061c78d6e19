using System.Net;
using Xunit;

namespace Atrium.Server.Tests.Support;

/// <summary>
/// Someone following short links from their own address: the in-memory server sees every request from the same
/// (no) address, so each visitor names theirs in X-Forwarded-For, as the gateway would.
/// </summary>
internal sealed class Visitor(HttpClient client, string address)
{
    /// <summary>A new documentation-range address (203.0.113.0/24 and 198.51.100.0/24), distinct per call.</summary>
    public static string NewAddress()
    {
        var n = Interlocked.Increment(ref _next);
        return $"{(n % 2 == 0 ? "203.0.113" : "198.51.100")}.{n % 250 + 1}";
    }

    private static int _next = Random.Shared.Next(1000);

    public string Address => address;

    public Task<HttpResponseMessage> FollowAsync(string code) => SendAsync(HttpMethod.Get, $"/{code}");

    public Task<HttpResponseMessage> PreviewAsync(string code) => SendAsync(HttpMethod.Get, $"/{code}+");

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, Api.Relative(path));
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", address);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Follows <paramref name="count"/> codes that do not exist, checking each answers 404.</summary>
    public async Task MissAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await FollowAsync(TestData.Alias("unknown"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }
}
