using System.ComponentModel;

namespace Atrium.Accounts.Data;

/// <summary>
/// Whom an API key signs in, as cached under its hash. Immutable and sealed, so HybridCache hands out the
/// same instance on an L1 hit instead of deserializing a copy per request.
/// </summary>
[ImmutableObject(true)]
internal sealed record ApiKeyOwner(long KeyId, long UserId, string Username);
