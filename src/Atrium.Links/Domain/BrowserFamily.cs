namespace Atrium.Links.Domain;

/// <summary>The browser families that click statistics are grouped by.</summary>
internal static class BrowserFamily
{
    public const string Edge = "Edge";
    public const string Opera = "Opera";
    public const string SamsungInternet = "Samsung Internet";
    public const string Firefox = "Firefox";
    public const string Chrome = "Chrome";
    public const string Safari = "Safari";
    public const string Other = "Other";
    public const string Bot = "Bot";
}
