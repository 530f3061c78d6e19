using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace Atrium.Server.Tests.Support;

/// <summary>
/// The app's own HybridCache with <see cref="CacheGate"/>'s holds around it: every call goes to the real cache, and
/// an armed key waits at its point. Installed from the test project (<see cref="Install"/>), product code unchanged.
/// </summary>
internal sealed class GatedHybridCache(HybridCache inner, CacheGate gate) : HybridCache
{
    /// <summary>Replaces the registered HybridCache with one gated by <paramref name="gate"/> around it.</summary>
    public static void Install(IServiceCollection services, CacheGate gate)
    {
        var registered = services.Last(d => d.ServiceType == typeof(HybridCache));
        services.Remove(registered);
        services.AddSingleton<HybridCache>(sp => new GatedHybridCache(Create(sp, registered), gate));
    }

    public override async ValueTask<T> GetOrCreateAsync<TState, T>(
        string key,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options = null,
        IEnumerable<string>? tags = null,
        CancellationToken cancellationToken = default)
    {
        var value = await inner.GetOrCreateAsync(
            key,
            (state, factory, key, gate),
            static async (s, ct) =>
            {
                var read = await s.factory(s.state, ct);
                await s.gate.PassAsync(s.key, CachePoint.AfterRead);
                return read;
            },
            options,
            tags,
            cancellationToken);
        await gate.PassAsync(key, CachePoint.BeforeReturn);
        return value;
    }

    public override async ValueTask SetAsync<T>(
        string key, T value, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        await gate.PassAsync(key, CachePoint.BeforeStore);
        await inner.SetAsync(key, value, options, tags, cancellationToken);
    }

    public override ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) => inner.RemoveAsync(key, cancellationToken);

    public override ValueTask RemoveByTagAsync(string tag, CancellationToken cancellationToken = default) => inner.RemoveByTagAsync(tag, cancellationToken);

    private static HybridCache Create(IServiceProvider services, ServiceDescriptor registered) =>
        (HybridCache)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, registered.ImplementationType!));
}
