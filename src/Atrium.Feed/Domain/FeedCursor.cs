using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Atrium.Feed.Domain;

/// <summary>
/// The opaque cursor of every feed list: an id (of the last post, or the last follow) in base64url, so clients
/// pass it back unchanged instead of computing with it. The next page holds only ids below it: new posts (higher
/// ids) never shift a page, so there are no gaps and no repeats while posts arrive.
/// </summary>
internal static class FeedCursor
{
    public static string Encode(long id) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(id.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string cursor, out long id)
    {
        id = 0;
        if (cursor.Length is 0 or > 40)
        {
            return false;
        }

        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
