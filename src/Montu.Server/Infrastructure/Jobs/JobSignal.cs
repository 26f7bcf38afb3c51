using System.Threading.Channels;

namespace Montu.Server.Infrastructure.Jobs;

/// <summary>Wakes this instance's idle workers: a job was enqueued here, or a running one ended and freed its slot.</summary>
public sealed class JobSignal(TimeProvider time)
{
    // One pending wake-up is enough: however many arrive, the workers look once.
    private readonly Channel<bool> _wakeups = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _wakeups.Writer.TryWrite(true);

    /// <summary>Returns when woken, after <paramref name="timeout"/>, or when <paramref name="ct"/> is cancelled, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var idle = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(idle.Token, ct);
        await ((Task)_wakeups.Reader.WaitToReadAsync(either.Token).AsTask()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _wakeups.Reader.TryRead(out _);
    }
}
