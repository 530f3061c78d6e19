namespace Atrium.Accounts.Authentication;

/// <summary>The signing keys as one node last read them, newest first.</summary>
internal sealed record KeySnapshot(IReadOnlyList<SigningKey> Keys, DateTimeOffset LoadedAt)
{
    public SigningKey Newest => Keys[0];

    public SigningKey? Find(string kid)
    {
        foreach (var key in Keys)
        {
            if (key.Kid == kid)
            {
                return key;
            }
        }

        return null;
    }
}
