using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Atrium.Links.Domain;

/// <summary>
/// The opaque cursor of a list of links: the id of a page's last link, in base64url so clients treat
/// it as a token to pass back, not as something to compute.
/// </summary>
internal static class LinkCursor
{
    public static string Encode(Link last) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(last.Id.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string cursor, out long id)
    {
        id = 0;
        if (cursor.Length > 40)
        {
            return false;
        }

        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
