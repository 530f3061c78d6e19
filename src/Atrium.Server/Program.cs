using Atrium.Links;
using Atrium.Platform;
using Atrium.Server;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
builder.AddPlatform();
builder.AddLinks();

var app = builder.Build();
app.UsePlatform();
app.MapPlatform();
app.MapGet("/", HomePage.Render).ExcludeFromDescription();
app.MapLinks();
app.Run();

/// <summary>The entry point, visible to <c>WebApplicationFactory</c> in tests.</summary>
public partial class Program;
