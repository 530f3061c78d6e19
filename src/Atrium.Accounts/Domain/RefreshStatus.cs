namespace Atrium.Accounts.Domain;

/// <summary>What presenting a refresh token came to.</summary>
internal enum RefreshStatus
{
    /// <summary>Valid: it was revoked and replaced by a new one (rotation).</summary>
    Rotated,

    /// <summary>No such token.</summary>
    Unknown,

    /// <summary>Past its expiry.</summary>
    Expired,

    /// <summary>Revoked by sign-out, or because its family was.</summary>
    Revoked,

    /// <summary>Already rotated and presented again: a copy is in someone else's hands, so its whole family was revoked.</summary>
    Reused,
}
