using Atrium.Feed.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Atrium.Feed.Tests;

/// <summary>
/// An app whose celebrities start at 3 followers, whose celebrity merge has a 50 ms budget, and whose celebrity read
/// can be stalled (<see cref="StalledCelebrityPosts"/>).
/// </summary>
public sealed class SlowCelebrityApp() : FeedApp(new Dictionary<string, string?>
{
    ["Feed:CelebrityThreshold"] = "3",
    ["Feed:CelebrityHysteresis"] = "0.5",
    ["Feed:CelebrityMergeBudget"] = "00:00:00.050",
})
{
    internal StalledCelebrityPosts CelebrityPosts => (StalledCelebrityPosts)Services.GetRequiredService<ICelebrityPosts>();

    protected override void ConfigureTestServices(IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<ICelebrityPosts, StalledCelebrityPosts>());
}
