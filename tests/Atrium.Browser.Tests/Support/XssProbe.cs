using System.Text.Json;
using Microsoft.Playwright;
using Xunit;

namespace Atrium.Browser.Tests.Support;

/// <summary>
/// Hostile markup a user can type, and the check that a page shows it as text and ran none of it: each payload sets
/// <c>window.__xss</c> or opens a dialog if it ever becomes script, and any element it could have made would carry an
/// event-handler attribute or a <c>javascript:</c> URL.
/// </summary>
public sealed class XssProbe
{
    public const string Img = "<img src=x onerror=window.__xss=1>";
    public const string Script = "<script>window.__xss=1</script>";
    public const string Svg = "\"><svg onload=window.__xss=1>";
    public const string JavascriptUrl = "javascript:window.__xss=1";
    public const string Alert = "<img src=x onerror=alert(document.domain)>";

    /// <summary>Every payload, one per line.</summary>
    public const string All = Img + "\n" + Script + "\n" + Svg + "\n" + JavascriptUrl + "\n" + Alert;

    private const string Inspect = """
        () => ({
          xss: typeof window.__xss,
          handlers: [...document.querySelectorAll('*')]
            .filter(e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on')))
            .map(e => e.outerHTML.slice(0, 120)),
          inlineScripts: [...document.scripts].filter(s => !s.src).map(s => s.outerHTML.slice(0, 120)),
          javascriptUrls: [...document.querySelectorAll('[href], [src], [action], [formaction]')]
            .map(e => e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action') ?? e.getAttribute('formaction'))
            .filter(url => /^\s*(javascript|data|vbscript):/i.test(url ?? '')),
          images: [...document.images].map(i => i.getAttribute('src')).filter(src => src === 'x'),
        })
        """;

    private readonly List<string> _dialogs = [];

    /// <summary>Records every script dialog (alert, confirm, prompt) <paramref name="page"/> opens, and dismisses it.</summary>
    public void Watch(IPage page) => page.Dialog += async (_, dialog) =>
    {
        lock (_dialogs)
        {
            _dialogs.Add($"{dialog.Type}: {dialog.Message}");
        }

        await dialog.DismissAsync();
    };

    /// <summary>Once the page has settled: nothing ran, nothing was made from the payloads, no dialog opened.</summary>
    public async Task AssertInertAsync(IPage page, string where)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var found = await page.EvaluateAsync<JsonElement>(Inspect);
        var xss = found.GetProperty("xss").GetString();
        Assert.True(xss == "undefined", $"{where}: a payload ran (window.__xss is {xss}).");
        AssertNone(found, "handlers", $"{where}: elements with event-handler attributes");
        AssertNone(found, "inlineScripts", $"{where}: inline scripts");
        AssertNone(found, "javascriptUrls", $"{where}: script URLs");
        AssertNone(found, "images", $"{where}: images made from a payload");
        lock (_dialogs)
        {
            Assert.True(_dialogs.Count == 0, $"{where}: dialogs opened: {string.Join(" | ", _dialogs)}");
        }
    }

    private static void AssertNone(JsonElement found, string property, string what)
    {
        var items = found.GetProperty(property).EnumerateArray().Select(item => item.ToString()).ToList();
        Assert.True(items.Count == 0, $"{what}: {string.Join(" | ", items)}");
    }
}
