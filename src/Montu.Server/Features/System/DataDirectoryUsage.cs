using Montu.Server.Infrastructure;

namespace Montu.Server.Features.Monitoring;

/// <summary>
/// Bytes of the files under <c>MONTU_DATA_DIR</c> (database, uploads, thumbnails). Walking a large
/// media tree is slow, so a figure is reused for half a minute.
/// </summary>
public sealed class DataDirectoryUsage(IConfiguration configuration, TimeProvider time)
{
    private static readonly TimeSpan ReuseFor = TimeSpan.FromSeconds(30);
    private const double Gibibyte = 1024.0 * 1024 * 1024;

    private readonly string _root = DataDirectory.From(configuration);
    private readonly Lock _lock = new();
    private DateTimeOffset _measuredAt = DateTimeOffset.MinValue;
    private long _bytes;

    public double Gigabytes()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (now - _measuredAt >= ReuseFor)
            {
                _bytes = Measure();
                _measuredAt = now;
            }

            return Math.Round(_bytes / Gibibyte, 3);
        }
    }

    private long Measure()
    {
        if (!Directory.Exists(_root))
        {
            return 0;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        return new DirectoryInfo(_root).EnumerateFiles("*", options).Sum(file => file.Length);
    }
}
