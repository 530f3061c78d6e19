using System.Globalization;

namespace Atrium.Lab.Estimates;

/// <summary>Numbers as an engineer says them: 11.6 k, 3.2 TB, 41 MB/s.</summary>
internal static class Units
{
    public static string Count(double value) => Scale(value, 1000, ["", " k", " M", " B", " T"]);

    public static string Bytes(double value) => Scale(value, 1000, [" B", " KB", " MB", " GB", " TB", " PB", " EB"]);

    private static string Scale(double value, double step, string[] units)
    {
        var unit = 0;
        while (Math.Abs(value) >= step && unit < units.Length - 1)
        {
            value /= step;
            unit++;
        }

        return value.ToString(value < 10 ? "0.##" : value < 100 ? "0.#" : "0", CultureInfo.InvariantCulture) + units[unit];
    }
}
