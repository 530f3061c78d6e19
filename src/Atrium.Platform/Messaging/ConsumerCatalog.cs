using System.Collections.Frozen;

namespace Atrium.Platform.Messaging;

/// <summary>Every registered consumer, by name and by the event type it consumes.</summary>
public sealed class ConsumerCatalog
{
    private readonly FrozenDictionary<string, ConsumerRegistration[]> _byType;

    public ConsumerCatalog(IEnumerable<ConsumerRegistration> registrations)
    {
        All = registrations.ToArray();
        var duplicate = All.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two consumers are named '{duplicate.Key}'; consumer names must be unique.");
        }

        ByName = All.ToFrozenDictionary(r => r.Name);
        _byType = All.GroupBy(r => r.EventType).ToFrozenDictionary(g => g.Key, g => g.ToArray());
    }

    public IReadOnlyList<ConsumerRegistration> All { get; }

    public FrozenDictionary<string, ConsumerRegistration> ByName { get; }

    public IReadOnlyList<ConsumerRegistration> For(string eventType) =>
        _byType.TryGetValue(eventType, out var consumers) ? consumers : [];
}
