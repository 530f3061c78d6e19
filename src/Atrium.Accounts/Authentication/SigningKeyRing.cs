using System.Buffers.Text;
using System.Security.Cryptography;
using Atrium.Accounts.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Atrium.Accounts.Authentication;

/// <summary>
/// The keys that sign access tokens, shared by every node through <c>accounts_signing_keys</c>, so a token
/// from one node is accepted by all (the tokens themselves are stateless). Each node keeps a snapshot,
/// re-read at most every <see cref="AccountsOptions.SigningKeyRefresh"/> (when next used) and at once for
/// a token whose key it does not know (at most once per <see cref="UnknownKeyRefreshInterval"/>, so forged
/// key ids cannot hammer the database). The first read makes the first key; a read that finds the newest
/// key older than <see cref="AccountsOptions.SigningKeyRotation"/> adds the next one, as generation n+1,
/// which is unique, so nodes that rotate at once add one key between them. New tokens are signed with the
/// newest key; a token is accepted with any key not yet retired. A key retires an access-token lifetime
/// (plus a refresh interval and the clock skew, for nodes still signing with it) after a newer key appears.
/// </summary>
internal sealed partial class SigningKeyRing(
    SigningKeyStore store,
    TimeProvider time,
    IOptions<AccountsOptions> options,
    AccountsMetrics metrics,
    ILogger<SigningKeyRing> logger) : IHostedService
{
    public static readonly TimeSpan UnknownKeyRefreshInterval = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile KeySnapshot? _snapshot;

    /// <summary>Loads (or makes) the keys before the server takes requests.</summary>
    public async Task StartAsync(CancellationToken cancellationToken) => await RefreshIfAsync(static (_, _) => true, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The key to sign a new token with: the newest (rotating first when it is due).</summary>
    public async ValueTask<SigningKey> GetSigningKeyAsync(CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).Newest;

    /// <summary>
    /// Before a token is checked: refreshes a stale snapshot, and re-reads the keys when the token names
    /// a key (<paramref name="kid"/>) this node has not seen, which another node may have just made.
    /// </summary>
    public async ValueTask PrepareToValidateAsync(string? kid, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken);
        if (kid is not null && snapshot.Find(kid) is null)
        {
            await RefreshIfAsync(
                (current, now) => current.Find(kid) is null && now - current.LoadedAt >= UnknownKeyRefreshInterval, cancellationToken);
        }
    }

    /// <summary>The key a token names, if this node knows it and it is not retired (for the JWT handler's key resolver).</summary>
    public IEnumerable<SecurityKey> ValidationKeys(string? kid)
    {
        var snapshot = _snapshot;
        return kid is not null && snapshot?.Find(kid) is { } key && !key.IsRetired(time.GetUtcNow()) ? [key.Key] : [];
    }

    /// <summary>
    /// The snapshot to use now: re-read first when stale. While one request re-reads, others go on with
    /// the keys they have (only the very first read, when there are none, makes everyone wait), and if
    /// the database cannot be read the old keys stay in use.
    /// </summary>
    private async ValueTask<KeySnapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && !IsStale(snapshot, time.GetUtcNow()))
        {
            return snapshot;
        }

        if (snapshot is not null)
        {
            if (!_gate.Wait(0, CancellationToken.None))
            {
                return snapshot;
            }

            try
            {
                return await ReloadAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReloadFailed(ex);
                return snapshot; // the keys it has still sign and check tokens; the next request tries again
            }
            finally
            {
                _gate.Release();
            }
        }

        return await RefreshIfAsync((current, now) => IsStale(current, now), cancellationToken);
    }

    private bool IsStale(KeySnapshot snapshot, DateTimeOffset now) =>
        now - snapshot.LoadedAt >= options.Value.SigningKeyRefresh || now < snapshot.LoadedAt;

    /// <summary>Re-reads the keys unless another caller did while this one waited and <paramref name="needed"/> now says no.</summary>
    private async Task<KeySnapshot> RefreshIfAsync(Func<KeySnapshot, DateTimeOffset, bool> needed, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var current = _snapshot;
            return current is not null && !needed(current, time.GetUtcNow()) ? current : await ReloadAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads the keys, adding the next one first when rotation is due; the caller holds the gate.</summary>
    private async Task<KeySnapshot> ReloadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rows = await store.LoadAsync(cancellationToken);
        if (rows.Count == 0 || DateTimeOffset.FromUnixTimeMilliseconds(rows[0].CreatedAt) <= now - options.Value.SigningKeyRotation)
        {
            await AddKeyAsync(rows.Count == 0 ? 1 : rows[0].Generation + 1, now, cancellationToken);
            rows = await store.LoadAsync(cancellationToken);
        }

        var snapshot = new KeySnapshot(rows.Select(SigningKey.From).ToList(), now);
        _snapshot = snapshot;
        return snapshot;
    }

    private async Task AddKeyAsync(long generation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var key = new SigningKeyRow(
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12)),
            generation,
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            now.ToUnixTimeMilliseconds(),
            null);
        var retireOlderAt = now + settings.AccessTokenLifetime + settings.SigningKeyRefresh + settings.ClockSkew;
        var purgeBefore = now - settings.SigningKeyRotation;
        if (await store.TryAddAsync(key, retireOlderAt.ToUnixTimeMilliseconds(), purgeBefore.ToUnixTimeMilliseconds(), cancellationToken))
        {
            metrics.SigningKeysCreated.Add(1);
            LogKeyAdded(key.Kid, generation, retireOlderAt);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-reading the signing keys failed; using the ones already loaded")]
    private partial void LogReloadFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing key {Kid} (generation {Generation}) added; older keys retire at {RetireAt:O}")]
    private partial void LogKeyAdded(string kid, long generation, DateTimeOffset retireAt);
}
