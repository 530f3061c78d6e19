using System.Collections.Concurrent;
using Atrium.Platform.Redis;
using StackExchange.Redis;

namespace Atrium.Platform.Tests.Redis;

/// <summary>A channel of its own (a fresh name per host) that keeps every message it is handed, in order.</summary>
internal sealed class RecordingChannel : IRedisChannelHandler
{
    public const string Name = "tests.recording-subscriber";

    private readonly ConcurrentQueue<string> _messages = new();

    public string ServiceName => Name;

    public RedisChannel Channel { get; } = RedisChannel.Literal($"tests:channel:{Guid.NewGuid():N}");

    public IReadOnlyCollection<string> Messages => _messages;

    public int CountOf(string message) => _messages.Count(m => m == message);

    public void OnMessage(RedisValue message) => _messages.Enqueue(message.ToString());
}
