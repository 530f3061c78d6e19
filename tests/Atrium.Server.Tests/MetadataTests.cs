using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

public sealed class MetadataTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Fact]
    public async Task Metadata_matches_what_creation_answered()
    {
        var created = await _client.CreateLinkAsync(new NewLink(
            TestData.Url(), TestData.Alias("meta"), new DateTimeOffset(2099, 1, 2, 3, 4, 5, TimeSpan.Zero), MaxVisits: 42));

        var metadata = await _client.GetLinkAsync(created.Code);

        Assert.Equal(created, metadata);
    }

    [Fact]
    public async Task Metadata_of_a_generated_permanent_link_matches_what_creation_answered()
    {
        var created = await _client.CreateLinkAsync(new NewLink(TestData.Url(), Permanent: true));

        var metadata = await _client.GetLinkAsync(created.Code);

        Assert.Equal(created, metadata);
    }

    [Fact]
    public async Task ExpiresAt_is_answered_as_stored_whatever_its_precision_and_offset()
    {
        // Sent with a +02:00 offset and sub-millisecond digits: the create answer must show what the
        // server keeps (and later answers), or a client comparing the two sees a different link.
        const string body = """{"url":"https://example.com/precise","expiresAt":"2099-01-01T12:00:00.1234567+02:00"}""";
        using var response = await _client.PostRawAsync(body);
        var created = await Api.ReadCreatedAsync(response);

        var metadata = await _client.GetLinkAsync(created.Code);

        Assert.Equal(created.ExpiresAt, metadata.ExpiresAt);
    }

    [Fact]
    public async Task Metadata_of_an_unknown_link_answers_404_problem()
    {
        var code = TestData.Alias("unknown");

        using var response = await _client.GetPathAsync($"/api/v1/links/{code}");

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains(code, problem.Detail, StringComparison.Ordinal);
    }
}
