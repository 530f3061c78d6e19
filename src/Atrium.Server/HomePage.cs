namespace Atrium.Server;

/// <summary>What <c>/</c> shows until the web client arrives: where the API and its reference live.</summary>
internal static class HomePage
{
    public static IResult Render() => TypedResults.Content(
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Atrium</title>
        <style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:10vh auto;padding:0 1rem;color:#1d2330}code{background:#eef0f4;padding:.1rem .3rem;border-radius:4px}</style>
        </head><body>
        <h1>Atrium</h1>
        <p>A link shortener, news feed and chat built on the building blocks of large web systems.</p>
        <p>Shorten a link: <code>curl -X POST /api/v1/links -H 'Content-Type: application/json' -d '{"url":"https://example.com"}'</code></p>
        <p><a href="/docs/api">API reference</a> · <a href="/openapi/v1.json">OpenAPI document</a> · <a href="/health">health</a> · <a href="/metrics">metrics</a></p>
        </body></html>
        """,
        "text/html; charset=utf-8");
}
