namespace Atrium.Server.Tests.Support;

/// <summary>Where <see cref="CacheGate"/> holds a cache call.</summary>
public enum CachePoint
{
    /// <summary>A GetOrCreate factory has read its source; its value is not stored yet.</summary>
    AfterRead,

    /// <summary>A SetAsync is about to store its value (a bulk fill's store, after its read).</summary>
    BeforeStore,

    /// <summary>A GetOrCreate has its value (from the cache or a read) and is about to return it to the caller.</summary>
    BeforeReturn,
}
