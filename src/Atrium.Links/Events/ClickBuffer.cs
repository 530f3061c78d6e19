using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Atrium.Links.Events;

/// <summary>
/// The in-memory queue between the redirect and the click flusher. Adding never waits: when the buffer
/// is full (the flusher cannot keep up, or the database has been down for a while), the click is dropped and counted
/// (<c>atrium.links.clicks_dropped</c>, reason <c>buffer_full</c>) instead of slowing redirects. The bound is
/// <see cref="LinksOptions.ClickBufferCapacity"/> clicks per node.
/// </summary>
internal sealed class ClickBuffer(IOptions<LinksOptions> options, LinksMetrics metrics)
{
    private readonly Channel<Click> _clicks = Channel.CreateBounded<Click>(new BoundedChannelOptions(options.Value.ClickBufferCapacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
        SingleWriter = false,
    }, _ => metrics.ClicksDropped.Add(1, new KeyValuePair<string, object?>("reason", "buffer_full")));

    public ChannelReader<Click> Reader => _clicks.Reader;

    public void Add(in Click click) => _clicks.Writer.TryWrite(click);

    public void Complete() => _clicks.Writer.TryComplete();
}
