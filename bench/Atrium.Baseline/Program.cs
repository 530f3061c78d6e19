// A bare minimal API that answers every /{code} with the same 301: the ceiling Atrium's redirect
// path is measured against (scripts/bench.sh redirect), on the same machine in the same run.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();

app.MapGet("/{code}", static (string code, HttpResponse response) =>
{
    response.Headers.Location = "https://example.com/";
    return Results.StatusCode(StatusCodes.Status301MovedPermanently);
});

app.MapChatBroadcast(); // the chat benchmark's baseline (ChatBroadcast.cs)

app.Run();
