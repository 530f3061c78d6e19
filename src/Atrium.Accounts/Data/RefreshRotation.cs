using Atrium.Accounts.Domain;

namespace Atrium.Accounts.Data;

/// <summary>What presenting a refresh token came to; the user when it was <see cref="RefreshStatus.Rotated"/>.</summary>
internal sealed record RefreshRotation(RefreshStatus Status, long UserId = 0, string Username = "", long FamilyId = 0);
