using System.Diagnostics;

namespace Atrium.Testing.Servers;

/// <summary>Runs the servers' command-line tools (initdb, psql, rabbitmqctl, ...), as their own OS user where needed.</summary>
internal static class Command
{
    /// <summary>
    /// A start of <paramref name="file"/>, as <paramref name="user"/> when this process is root. initdb and postgres
    /// refuse to run as root, and the RabbitMQ scripts expect the rabbitmq user; runuser (util-linux) switches
    /// without a password or a terminal, and waits for (so reaps) its child. The environment goes through env(1)
    /// because runuser resets HOME and friends. As any other user the tool simply runs as that user.
    /// </summary>
    public static ProcessStartInfo For(
        string file,
        IEnumerable<string> arguments,
        string? user = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,

            // Some tools chdir to or stat the working directory: the test's bin folder may not be readable by postgres.
            WorkingDirectory = "/",
        };
        if (user is not null && Environment.IsPrivilegedProcess)
        {
            start.FileName = "runuser";
            foreach (var argument in new[] { "-u", user, "--", "env" })
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                start.ArgumentList.Add($"{key}={value}");
            }

            start.ArgumentList.Add(file);
        }
        else
        {
            start.FileName = file;
            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[key] = value;
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>Runs to completion within <paramref name="timeout"/> (then kills it and throws) and returns its output.</summary>
    public static async Task<CommandResult> RunAsync(ProcessStartInfo start, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Describe(start)}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Describe(start)} did not finish within {timeout.TotalSeconds:0} s.");
        }

        // A daemon started by the tool may hold the pipes open: do not wait for it.
        await Task.WhenAny(Task.WhenAll(output, error), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
        return new CommandResult(
            process.ExitCode,
            output.IsCompletedSuccessfully ? output.Result : "",
            error.IsCompletedSuccessfully ? error.Result : "");
    }

    /// <summary>As <see cref="RunAsync"/>, and a non-zero exit code throws with the tool's output.</summary>
    public static async Task<CommandResult> RunCheckedAsync(ProcessStartInfo start, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await RunAsync(start, timeout, cancellationToken);
        return result.ExitCode == 0
            ? result
            : throw new InvalidOperationException(
                $"{Describe(start)} exited with code {result.ExitCode}:\n{result.StandardOutput}{result.StandardError}".TrimEnd());
    }

    /// <summary>A fresh temp directory owned by <paramref name="owner"/> (when root), for a server that runs as that user.</summary>
    public static async Task<string> OwnedDirectoryAsync(string prefix, string owner, CancellationToken cancellationToken)
    {
        var path = TempDirectory.Create(prefix);
        await ChownAsync(path, owner, cancellationToken);
        return path;
    }

    /// <summary>Gives <paramref name="path"/> (recursively) to <paramref name="owner"/> and their group, when root.</summary>
    public static async Task ChownAsync(string path, string owner, CancellationToken cancellationToken)
    {
        if (Environment.IsPrivilegedProcess)
        {
            await RunCheckedAsync(For("chown", ["-R", $"{owner}:", path]), TimeSpan.FromSeconds(30), cancellationToken);
        }
    }

    /// <summary>
    /// Deletes a server's directory, retrying briefly (a process that just died may still have been writing);
    /// never throws: a leftover temp directory is not worth failing a test.
    /// </summary>
    public static void TryDeleteDirectory(string path)
    {
        for (var attempt = 0; attempt < 5 && Directory.Exists(path); attempt++)
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(100);
            }
        }
    }

    public static string Describe(ProcessStartInfo start) => string.Join(' ', [start.FileName, .. start.ArgumentList]);
}

/// <summary>What a finished command printed, and its exit code.</summary>
internal sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError);
