namespace Atrium.Chat.Data;

/// <summary>A turn at <see cref="ChatWriteGate"/>: disposing it lets the next writer in.</summary>
internal readonly struct WriteGateLease(SemaphoreSlim? gate) : IDisposable
{
    public void Dispose() => gate?.Release();
}
