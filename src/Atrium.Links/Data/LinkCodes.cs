using Atrium.Links.Domain;
using Atrium.Platform.Ids;
using Microsoft.Extensions.Hosting;

namespace Atrium.Links.Data;

/// <summary>
/// Hands out fresh link codes: the next number of the <c>links.codes</c> hi/lo sequence, through the
/// keyed permutation, in base62. Distinct numbers give distinct codes, so there is no collision check.
/// </summary>
internal sealed class LinkCodes(IdBlocks ids, CodecKeyStore keys) : IHostedLifecycleService
{
    public const string Sequence = "links.codes";
    private LinkCodec? _codec;

    public async Task StartingAsync(CancellationToken cancellationToken) =>
        _codec = new LinkCodec(await keys.GetOrCreateAsync(cancellationToken));

    public async Task<string> NextAsync(CancellationToken cancellationToken)
    {
        var codec = _codec ?? throw new InvalidOperationException("The link codec is not loaded yet.");
        return codec.Encode(await ids.NextAsync(Sequence, cancellationToken));
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
