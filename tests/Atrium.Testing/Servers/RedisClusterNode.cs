using System.Globalization;

namespace Atrium.Testing.Servers;

/// <summary>One line of <c>CLUSTER NODES</c> as a node of the cluster sees it: a node's role, health and slot ranges.</summary>
public sealed record RedisClusterNode(string Id, int Port, bool IsMaster, bool Failed, string? MasterId, IReadOnlyList<string> Slots)
{
    /// <summary>"master" or "replica", with "(failed)" when the cluster flags it down.</summary>
    public string Role => (IsMaster ? "master" : "replica") + (Failed ? " (failed)" : "");

    /// <summary>True when this node's slot ranges (<c>from-to</c> or a single slot) hold <paramref name="slot"/>.</summary>
    public bool Serves(int slot) => Slots
        .Where(range => !range.StartsWith('[')) // "[slot->-id]": a slot being migrated
        .Select(range => range.Split('-'))
        .Any(bounds => slot >= int.Parse(bounds[0], CultureInfo.InvariantCulture) && slot <= int.Parse(bounds[^1], CultureInfo.InvariantCulture));

    /// <summary>Parses <c>CLUSTER NODES</c>: <c>id ip:port@bus flags master ping pong epoch link slot...</c>.</summary>
    public static IReadOnlyList<RedisClusterNode> Parse(string clusterNodes) =>
        [.. clusterNodes.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(columns => columns.Length >= 8)
            .Select(columns =>
            {
                var address = columns[1].Split('@')[0];
                var flags = columns[2].Split(',');
                return new RedisClusterNode(
                    columns[0],
                    int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture),
                    flags.Contains("master"),
                    flags.Contains("fail") || flags.Contains("fail?") || flags.Contains("noaddr"),
                    columns[3] == "-" ? null : columns[3],
                    columns[8..]);
            })];
}
