using System.Text;

namespace Atrium.Platform.Sharding;

/// <summary>
/// A 64-bit hash that is the same in every process and version (string.GetHashCode is randomised per process):
/// FNV-1a over the UTF-8 bytes, then MurmurHash3's 64-bit finaliser so nearby keys spread over the whole range.
/// </summary>
public static class StableHash
{
    public static ulong Of(string key)
    {
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetMaxByteCount(key.Length) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(key, buffer)] : Encoding.UTF8.GetBytes(key);
        var hash = 14695981039346656037UL;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return Mix(hash);
    }

    public static ulong Of(long key) => Mix(unchecked((ulong)key) * 0x9E3779B97F4A7C15UL);

    private static ulong Mix(ulong h)
    {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
    }
}
