using System.Globalization;

namespace Atrium.Server.Tests.Support;

/// <summary>
/// An in-memory Atrium that blocks a client after <see cref="Misses"/> unknown codes for an hour: the budget refills one
/// miss per 12 minutes, so not during a test. Tests tell clients apart by X-Forwarded-For (<see cref="Visitor"/>).
/// </summary>
public sealed class GuessLimitFixture() : AppFixture(Settings())
{
    public const int Misses = 5;
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Links:GuessLimitMisses"] = Misses.ToString(CultureInfo.InvariantCulture),
        ["Links:GuessLimitWindow"] = Window.ToString("c", CultureInfo.InvariantCulture),
    };
}
