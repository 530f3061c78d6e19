using System.Globalization;

namespace Atrium.Platform.Sharding;

/// <summary>
/// A consistent-hash ring (DESIGN.md §4, Sharding): each node is placed at <c>virtualNodes</c> points
/// (hashes of "node#i"); a key belongs to the first point clockwise from its hash. Adding or removing a node
/// moves only the keys of the arcs it gains or loses — about 1/N of them — where <c>hash mod N</c> moves almost
/// all; more virtual nodes even out the arcs, so each node's share gets closer to 1/N. Immutable: adding or
/// removing a node returns a new ring, so readers never see a half-built one.
/// </summary>
public sealed class ConsistentHashRing
{
    private readonly ulong[] _points;
    private readonly string[] _owners;

    public ConsistentHashRing(IEnumerable<string> nodes, int virtualNodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(virtualNodes, 1);
        VirtualNodes = virtualNodes;
        Nodes = nodes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var points = Nodes
            .SelectMany(node => Enumerable.Range(0, virtualNodes).Select(i => (Hash: StableHash.Of(string.Create(CultureInfo.InvariantCulture, $"{node}#{i}")), Node: node)))
            .OrderBy(p => p.Hash).ThenBy(p => p.Node, StringComparer.Ordinal)
            .ToArray();
        _points = points.Select(p => p.Hash).ToArray();
        _owners = points.Select(p => p.Node).ToArray();
    }

    public IReadOnlyList<string> Nodes { get; }

    public int VirtualNodes { get; }

    public ConsistentHashRing With(string node) => new(Nodes.Append(node), VirtualNodes);

    public ConsistentHashRing Without(string node) => new(Nodes.Where(n => n != node), VirtualNodes);

    /// <summary>The node that owns <paramref name="key"/>.</summary>
    public string NodeFor(string key) => NodeForHash(StableHash.Of(key));

    public string NodeForHash(ulong hash)
    {
        if (_points.Length == 0)
        {
            throw new InvalidOperationException("The ring has no nodes.");
        }

        var index = Array.BinarySearch(_points, hash);
        if (index < 0)
        {
            index = ~index;
        }

        return _owners[index == _points.Length ? 0 : index];
    }
}
