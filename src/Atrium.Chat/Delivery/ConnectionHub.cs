using Atrium.Chat.Sockets;

namespace Atrium.Chat.Delivery;

/// <summary>
/// The sockets this node holds, by user. Registration says whether it was the user's first socket here (and
/// unregistration whether it was the last), which is when the presence registry changes. Lists are copied on write:
/// delivery reads them without a lock.
/// </summary>
internal sealed class ConnectionHub
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, ChatConnection[]> _byUser = [];
    private volatile bool _closing;

    /// <summary>The number of sockets held.</summary>
    public int Count { get; private set; }

    /// <summary>Adds the socket; true when it is the user's first on this node. False (and not added) while shutting down.</summary>
    public bool Add(ChatConnection connection, out bool first)
    {
        lock (_gate)
        {
            first = false;
            if (_closing)
            {
                return false;
            }

            var existing = _byUser.GetValueOrDefault(connection.UserId, []);
            first = existing.Length == 0;
            _byUser[connection.UserId] = [.. existing, connection];
            Count++;
            return true;
        }
    }

    /// <summary>Removes the socket; true when it was the user's last on this node.</summary>
    public bool Remove(ChatConnection connection)
    {
        lock (_gate)
        {
            if (!_byUser.TryGetValue(connection.UserId, out var existing) || !existing.Contains(connection))
            {
                return false;
            }

            var rest = existing.Where(c => c != connection).ToArray();
            Count--;
            if (rest.Length == 0)
            {
                _byUser.Remove(connection.UserId);
                return true;
            }

            _byUser[connection.UserId] = rest;
            return false;
        }
    }

    public bool IsConnected(long userId)
    {
        lock (_gate)
        {
            return _byUser.ContainsKey(userId);
        }
    }

    /// <summary>The users with a socket here.</summary>
    public long[] Users()
    {
        lock (_gate)
        {
            return [.. _byUser.Keys];
        }
    }

    /// <summary>Hands a push to the local sockets of its users.</summary>
    public void Deliver(ChatPush push)
    {
        for (var i = 0; i < push.Users.Length; i++)
        {
            ChatConnection[]? connections;
            lock (_gate)
            {
                connections = _byUser.GetValueOrDefault(push.Users[i]);
            }

            foreach (var connection in connections ?? [])
            {
                if (push.Positions is { } positions)
                {
                    connection.PushStream(positions[i], push.Body);
                }
                else if (push.Body is { } frame)
                {
                    connection.PushFrame(frame);
                }
            }
        }
    }

    /// <summary>Closes every socket (graceful shutdown: 1012, so clients reconnect to another node) and refuses new ones.</summary>
    public void CloseAll()
    {
        ChatConnection[] all;
        lock (_gate)
        {
            _closing = true;
            all = [.. _byUser.Values.SelectMany(c => c)];
        }

        foreach (var connection in all)
        {
            connection.Stop(ChatCloseCodes.ServiceRestart, "The server is restarting.");
        }
    }
}
