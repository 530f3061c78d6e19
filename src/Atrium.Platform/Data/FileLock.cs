namespace Atrium.Platform.Data;

/// <summary>
/// An exclusive lock between processes on one machine: a file opened with <see cref="FileShare.None"/>
/// (an advisory <c>flock</c> on Linux), released when disposed or when the process dies.
/// </summary>
internal sealed class FileLock : IAsyncDisposable
{
    private readonly FileStream _file;

    private FileLock(FileStream file) => _file = file;

    public static async Task<FileLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
        }
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
