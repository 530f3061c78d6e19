using Atrium.Accounts;
using Atrium.Chat;
using Atrium.Feed;
using Atrium.Links;
using Atrium.Platform;
using Atrium.Server;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
builder.AddPlatform();
builder.AddAccounts();
builder.AddLinks();
builder.AddFeed();
builder.AddChat();
builder.AddWebClient();

var app = builder.Build();
app.UsePlatform();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
app.MapPlatform();
app.MapWebClient();
app.MapAccounts();
app.MapLinks();
app.MapFeed();
app.MapChat();
app.Run();

/// <summary>The entry point, visible to <c>WebApplicationFactory</c> in tests.</summary>
public partial class Program;
