using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Atrium.Links.Events;

/// <summary>
/// The in-memory queue between the redirect and the click flusher. Adding never waits: when the buffer
/// is full (the flusher cannot keep up), the click is dropped and counted as dropped instead of slowing
/// redirects.
/// </summary>
internal sealed class ClickBuffer(IOptions<LinksOptions> options, LinksMetrics metrics)
{
    private readonly Channel<Click> _clicks = Channel.CreateBounded<Click>(new BoundedChannelOptions(options.Value.ClickBufferCapacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
        SingleWriter = false,
    }, _ => metrics.ClicksDropped.Add(1));

    public ChannelReader<Click> Reader => _clicks.Reader;

    public void Add(in Click click) => _clicks.Writer.TryWrite(click);

    public void Complete() => _clicks.Writer.TryComplete();
}
