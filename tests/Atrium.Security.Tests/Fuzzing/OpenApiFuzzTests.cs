using Atrium.Security.Tests.Support;
using CsCheck;
using Xunit;

namespace Atrium.Security.Tests.Fuzzing;

/// <summary>
/// Property: for every operation of Atrium's own OpenAPI document, any request — malformed, oversized, deeply nested,
/// of the wrong types, with lone surrogates, invalid UTF-8, control characters, absurd page sizes and cursors, other
/// users' ids, bad headers — sent anonymously or signed in, is answered without a 5xx, within a deadline, and every
/// 4xx is ProblemDetails. CsCheck generates the requests (and shrinks a failure to a small one).
/// </summary>
public sealed class OpenApiFuzzTests(SecurityFixture fixture) : IClassFixture<SecurityFixture>
{
    [Fact]
    public async Task The_document_describes_every_module()
    {
        var operations = await OperationsAsync();

        // The fuzzer is only as wide as the document: if an endpoint fell out of it, it would go untested.
        string[] expected =
        [
            "POST /api/v1/links", "PATCH /api/v1/links/{code}", "GET /api/v1/links/{code}/stats", "POST /api/v1/posts",
            "GET /api/v1/feed", "PUT /api/v1/users/{username}/follow", "POST /api/v1/conversations/{id}/messages",
            "GET /api/v1/sync", "POST /api/v1/sessions", "POST /api/v1/accounts", "GET /api/v1/admin/dead-letters", "GET /{code}",
        ];
        Assert.All(expected, name => Assert.Contains(name, operations.Select(o => o.ToString())));
        Assert.Contains(operations, o => o.HasBody && o.BodyProperties.Count > 0); // the bodies' schemas were read
        Assert.All(operations, o => Assert.All(o.In("path"), p => Assert.Contains($"{{{p.Name}}}", o.Path, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Every_operation_answers_generated_hostile_requests_without_5xx_and_with_problem_details()
    {
        var ct = TestContext.Current.CancellationToken;
        var operations = await OperationsAsync();
        var requests = new HostileRequests(KnownValues());
        using var sender = new HostileSender(fixture);
        var failures = new List<string>();
        foreach (var operation in operations)
        {
            try
            {
                await requests.For(operation).SampleAsync(
                    request => sender.SendAsync(request, ct), seed: FuzzSettings.Seed, iter: FuzzSettings.Iterations, threads: 1,
                    print: request => request.ToString());
            }
            catch (CsCheckException ex)
            {
                failures.Add($"{operation}: {ex.InnerException?.Message}\n  {ex.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public async Task Every_operation_answers_the_fixed_hostile_cases_without_5xx_and_with_problem_details()
    {
        var ct = TestContext.Current.CancellationToken;
        var known = KnownValues();
        using var sender = new HostileSender(fixture);
        var failures = new List<string>();
        var sent = 0;
        foreach (var operation in await OperationsAsync())
        {
            // Signed in (the handlers run) and, for what anonymous callers may call, anonymously.
            foreach (var request in FixedHostileCases.For(operation, known, Caller.Owner).Concat(FixedHostileCases.For(operation, known, Caller.Anonymous).Take(8)))
            {
                sent++;
                if (await sender.ViolationAsync(request, ct) is { } violation)
                {
                    failures.Add($"{violation}\n  request: {request}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests failed:\n" + string.Join("\n\n", failures.Take(20)));
    }

    private async Task<IReadOnlyList<ApiOperation>> OperationsAsync()
    {
        using var client = fixture.CreateAnonymousClient();
        return await OpenApiDocument.FetchAsync(client, TestContext.Current.CancellationToken);
    }

    /// <summary>Real ids and names: the owner's objects (which the stranger must not reach) and both users.</summary>
    private string[] KnownValues()
    {
        var world = fixture.World;
        return [world.LinkCode, world.PostId, world.ApiKeyId, world.ConversationId, fixture.Owner.Username, fixture.Stranger.Username];
    }
}
