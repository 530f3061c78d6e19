using Atrium.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Atrium.Server.Tests.Support;

/// <summary>
/// One in-memory Atrium with the test defaults (plus any settings a subclass adds), shared by the tests
/// of a class (each test makes its own links); its data directory is removed afterwards.
/// </summary>
public class AppFixture : IAsyncDisposable
{
    public AppFixture()
        : this(null)
    {
    }

    protected AppFixture(IDictionary<string, string?>? settings)
    {
        App = new AtriumApp(settings);
    }

    public AtriumApp App { get; }

    public WebApplicationFactory<Program> Factory => App;

    public HttpClient CreateClient() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        TestData.TryDelete(App.DataDirectory);
        GC.SuppressFinalize(this);
    }
}
