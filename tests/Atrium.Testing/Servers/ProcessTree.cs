using System.Diagnostics;

namespace Atrium.Testing.Servers;

/// <summary>
/// Processes by pid, read from /proc. Servers run under wrappers (runuser, the rabbitmq-server script) and fork
/// workers, so stopping one means its whole tree; nothing here ever selects a process by name.
/// </summary>
internal static class ProcessTree
{
    /// <summary>The descendants of <paramref name="root"/>, parents before children (not the root itself).</summary>
    public static IReadOnlyList<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && Stat(pid) is { } stat)
            {
                if (!children.TryGetValue(stat.Parent, out var list))
                {
                    children[stat.Parent] = list = [];
                }

                list.Add(pid);
            }
        }

        var result = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out var pid))
        {
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                result.Add(child);
                queue.Enqueue(child);
            }
        }

        return result;
    }

    /// <summary>True while the process runs; a zombie (exited, not yet reaped by its parent) is not alive.</summary>
    public static bool IsAlive(int pid) => Stat(pid) is { State: not 'Z' and not 'X' };

    /// <summary>True while the pid exists at all, zombie or not (a zombie still holds its pid).</summary>
    public static bool Exists(int pid) => Stat(pid) is not null;

    public static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (InvalidOperationException)
        {
            // Exited between the lookup and the kill.
        }
    }

    /// <summary>Waits until none of <paramref name="pids"/> is alive; false when some still are at the deadline.</summary>
    public static async Task<bool> WaitUntilDeadAsync(IEnumerable<int> pids, TimeSpan timeout, Func<int, bool>? alive = null)
    {
        alive ??= IsAlive;
        var watch = Stopwatch.StartNew();
        var remaining = pids.ToList();
        while (true)
        {
            remaining.RemoveAll(pid => !alive(pid));
            if (remaining.Count == 0)
            {
                return true;
            }

            if (watch.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    private static (int Parent, char State)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[1]), fields[0][0]);
    }
}
