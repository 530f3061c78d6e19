using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Atrium.Links.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atrium.Links.Endpoints;

/// <summary>
/// The small HTML pages a person following a link may see: not found, gone, preview. Everything from the request or
/// a link (code, target, reason) is HTML-encoded, and the pages are sent with a Content-Security-Policy that allows
/// no script at all and only their own stylesheet (by hash), so even a mistake here could not run one.
/// </summary>
internal static class LinkPages
{
    private const string Style = """

          body { font: 16px/1.5 system-ui, sans-serif; color: #1d2330; background: #f6f7f9; margin: 0; }
          main { max-width: 40rem; margin: 12vh auto; padding: 2rem; background: #fff; border-radius: 12px; box-shadow: 0 1px 4px #0002; }
          h1 { font-size: 1.4rem; margin-top: 0; }
          code { background: #eef0f4; padding: .1rem .3rem; border-radius: 4px; }
          .target { word-break: break-all; font-size: 1.1rem; }
          .meta { color: #5b6474; font-size: .9rem; }

        """;

    /// <summary>No script, no plugins, no forms, not framed; the one inline stylesheet is allowed by its hash.</summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static LinkPageResult NotFound(string code) => Page(
        StatusCodes.Status404NotFound, "Link not found",
        $"<h1>Link not found</h1><p>There is no short link <code>/{Encode(code)}</code>. Check it for typos.</p>");

    public static LinkPageResult Gone(string code, string reason) => Page(
        StatusCodes.Status410Gone, "Link no longer available",
        $"<h1>Link no longer available</h1><p>{Encode(reason)}</p><p><code>/{Encode(code)}</code></p>");

    public static LinkPageResult Preview(Link link) => Page(
        StatusCodes.Status200OK, "Link preview",
        $"""
        <h1>Where this link goes</h1>
        <p>The short link <code>/{Encode(link.Code)}</code> leads to:</p>
        <p class="target"><a href="{Encode(link.Url)}" rel="noopener noreferrer nofollow">{Encode(link.Url)}</a></p>
        <p class="meta">Created {link.CreatedAt:yyyy-MM-dd HH:mm} UTC{(link.ExpiresAt is { } e ? $", expires {e:yyyy-MM-dd HH:mm} UTC" : "")}.</p>
        """);

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);

    private static LinkPageResult Page(int status, string title, string body) => new(TypedResults.Content(
        $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{{title}} · Atrium</title>
        <style>{{Style}}</style>
        </head>
        <body><main>
        {{body}}
        <p class="meta">Atrium link shortener</p>
        </main></body>
        </html>
        """,
        "text/html; charset=utf-8",
        statusCode: status));
}
