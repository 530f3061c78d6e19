using Atrium.Links.Domain;
using BenchmarkDotNet.Attributes;

namespace Atrium.Benchmarks;

/// <summary>Turning a leased id into a 7-character code and back (LinkCodec: Feistel permutation + base62).</summary>
[MemoryDiagnoser]
public class CodeGenerationBenchmarks
{
    private readonly long _id = 123_456_789; // a field, not a constant: nothing folds at compile time
    private readonly LinkCodec _codec = new(0x9E3779B97F4A7C15UL);
    private string _code = "";

    [GlobalSetup]
    public void Setup() => _code = _codec.Encode(_id);

    [Benchmark]
    public string Encode() => _codec.Encode(_id);

    [Benchmark]
    public long Decode() => _codec.Decode(_code);

    [Benchmark]
    public string Base62Encode() => Base62.Encode(_id, LinkCodec.Length);
}
