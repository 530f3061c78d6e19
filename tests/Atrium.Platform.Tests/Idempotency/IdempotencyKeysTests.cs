using Atrium.Platform.Idempotency;
using Atrium.Platform.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Atrium.Platform.Tests.Idempotency;

public sealed class IdempotencyKeysTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private PlatformHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await PlatformHost.StartAsync(_dir.Path);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<IdempotencyRecord?> ClaimAsync(
        IdempotencyKeys keys, string key, string hash, string resource, bool commit = true, string scope = "test.create")
    {
        await using var connection = await _host.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        var record = await keys.ClaimAsync(transaction, scope, key, hash, resource, Ct);
        if (commit)
        {
            await transaction.CommitAsync(Ct);
        }
        else
        {
            await transaction.RollbackAsync(Ct);
        }

        return record;
    }

    [Fact]
    public async Task A_second_claim_of_a_committed_key_returns_the_first_request()
    {
        var keys = _host.Get<IdempotencyKeys>();
        var hash = IdempotencyKeys.Hash("POST /links {url: a}");

        Assert.Null(await ClaimAsync(keys, "key-1", hash, "links/abc"));
        var again = await ClaimAsync(keys, "key-1", IdempotencyKeys.Hash("something else"), "links/other");

        Assert.Equal(new IdempotencyRecord(hash, "links/abc"), again);
    }

    [Fact]
    public async Task A_rolled_back_claim_leaves_the_key_free()
    {
        var keys = _host.Get<IdempotencyKeys>();

        Assert.Null(await ClaimAsync(keys, "key-2", "h1", "links/first", commit: false));
        Assert.Null(await ClaimAsync(keys, "key-2", "h2", "links/second"));
        Assert.Equal(new IdempotencyRecord("h2", "links/second"), await ClaimAsync(keys, "key-2", "h3", "links/third"));
    }

    [Fact]
    public async Task Keys_are_scoped()
    {
        var keys = _host.Get<IdempotencyKeys>();

        Assert.Null(await ClaimAsync(keys, "same", "h", "links/a", scope: "test.a"));
        Assert.Null(await ClaimAsync(keys, "same", "h", "feed/b", scope: "test.b"));
    }

    [Fact]
    public async Task Of_concurrent_claims_of_one_key_exactly_one_wins()
    {
        var keys = _host.Get<IdempotencyKeys>();

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => ClaimAsync(keys, "contended", $"h{i}", $"links/{i}"))));

        var winners = results.Count(r => r is null);
        Assert.Equal(1, winners);
        var winner = results.Select((r, i) => (r, i)).Single(x => x.r is null).i;
        Assert.All(results.Where(r => r is not null), r => Assert.Equal(new IdempotencyRecord($"h{winner}", $"links/{winner}"), r));
    }

    [Fact]
    public async Task A_key_older_than_the_retention_may_be_claimed_again()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var keys = new IdempotencyKeys(clock);

        Assert.Null(await ClaimAsync(keys, "old", "h1", "links/1"));
        clock.Advance(IdempotencyKeys.Retention);
        Assert.Equal(new IdempotencyRecord("h1", "links/1"), await ClaimAsync(keys, "old", "h2", "links/2"));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await ClaimAsync(keys, "old", "h3", "links/3"));
        Assert.Equal(new IdempotencyRecord("h3", "links/3"), await ClaimAsync(keys, "old", "h4", "links/4"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("new\nline")]
    [InlineData("café")]
    [InlineData("\u007f")]
    public void Validate_rejects_empty_spaced_and_non_printable_ascii_keys(string key)
    {
        var problem = IdempotencyKeys.Validate(key);
        Assert.NotNull(problem);
        Assert.Contains(IdempotencyKeys.Header, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_rejects_keys_longer_than_255_characters_and_accepts_255()
    {
        Assert.NotNull(IdempotencyKeys.Validate(new string('k', IdempotencyKeys.MaxKeyLength + 1)));
        Assert.Null(IdempotencyKeys.Validate(new string('k', IdempotencyKeys.MaxKeyLength)));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("3f1c2a9e-6b7d-4c1e-9a55-0d2e8b7f6a10")]
    [InlineData("!~#$%&'()*+,-./:;<=>?@[\\]^_`{|}")]
    public void Validate_accepts_printable_ascii_keys(string key)
    {
        Assert.Null(IdempotencyKeys.Validate(key));
    }

    [Fact]
    public void Hash_is_stable_and_tells_requests_apart()
    {
        Assert.Equal(IdempotencyKeys.Hash("a"), IdempotencyKeys.Hash("a"));
        Assert.NotEqual(IdempotencyKeys.Hash("a"), IdempotencyKeys.Hash("b"));
        Assert.Equal(64, IdempotencyKeys.Hash("a").Length);
    }
}
