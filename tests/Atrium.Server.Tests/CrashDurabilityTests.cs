using System.Net;
using Atrium.Server.Tests.Support;
using Atrium.Testing;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>A link answered with 201 survives <c>kill -9</c> of the server (the real process, on its own data).</summary>
public sealed class CrashDurabilityTests
{
    private static Dictionary<string, string> Settings => new(ProcessFixture.Settings);

    [Fact]
    public async Task Every_acknowledged_link_survives_SIGKILL()
    {
        var ct = TestContext.Current.CancellationToken;
        var dataDirectory = TempDirectory.Create("atrium-crash");
        try
        {
            var acknowledged = new List<LinkBody>();
            string apiKey;
            var before = await AtriumProcess.StartAsync(dataDirectory, ct, Settings);
            await using (before)
            {
                using var client = before.CreateClient();
                client.WithApiKey(apiKey = await TestUsers.ApiKeyOfNewUserAsync(client, ct));
                for (var i = 0; i < 30; i++)
                {
                    acknowledged.Add(await client.CreateLinkAsync(Request(i)));
                }

                // The last ones concurrently, so the kill lands while writes are in flight.
                var concurrent = await Task.WhenAll(Enumerable.Range(30, 20).Select(i => client.CreateLinkAsync(Request(i))));
                acknowledged.AddRange(concurrent);
                await before.KillAsync();
            }

            await using var after = await AtriumProcess.StartAsync(dataDirectory, ct, Settings);
            using var restarted = after.CreateClient().WithApiKey(apiKey);
            Assert.Equal(50, acknowledged.Select(l => l.Code).Distinct(StringComparer.Ordinal).Count());
            foreach (var link in acknowledged)
            {
                using var response = await restarted.GetPathAsync($"/{link.Code}");
                Assert.Equal(link.Permanent ? HttpStatusCode.MovedPermanently : HttpStatusCode.Found, response.StatusCode);
                Assert.Equal(link.Url, response.Location());

                var metadata = await restarted.GetLinkAsync(link.Code);
                Assert.Equal(link with { ShortUrl = "" }, metadata with { ShortUrl = "" });
                Assert.EndsWith($"/{link.Code}", metadata.ShortUrl, StringComparison.Ordinal);
            }

            // Codes handed out after the restart never repeat one from before it.
            var known = acknowledged.Select(l => l.Code).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < 10; i++)
            {
                var fresh = await restarted.CreateLinkAsync(TestData.Url("after-restart"));
                Assert.DoesNotContain(fresh.Code, known);
                known.Add(fresh.Code);
            }
        }
        finally
        {
            TestData.TryDelete(dataDirectory);
        }
    }

    /// <summary>Mixed links: generated and aliased codes, permanent ones, limits and expiries, URLs with queries and fragments.</summary>
    private static NewLink Request(int i) => (i % 5) switch
    {
        0 => new NewLink($"https://example.com/generated/{i}?q=a%20b&n={i}#frag"),
        1 => new NewLink($"https://example.org/alias/{i}", TestData.Alias($"crash{i}")),
        2 => new NewLink($"https://example.net/permanent/{i}", Permanent: true),
        3 => new NewLink($"https://example.com/limited/{i}", MaxVisits: 1_000, ExpiresAt: new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero)),
        _ => new NewLink($"http://example.com:8080/aliased-permanent/{i}", TestData.Alias($"p{i}"), Permanent: true),
    };
}
