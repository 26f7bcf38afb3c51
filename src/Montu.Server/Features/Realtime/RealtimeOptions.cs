namespace Montu.Server.Features.Realtime;

/// <summary>Configuration section <c>Realtime</c>: sockets' limits and timings.</summary>
public sealed class RealtimeOptions
{
    /// <summary>Events a socket may have waiting before it is told to resynchronise and closed (4409).</summary>
    public int QueueLength { get; set; } = 1000;

    /// <summary>The largest message a client may send; a larger one closes the socket (1009).</summary>
    public int MaxClientMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Protocol pings; a client that does not answer one within the same time is dropped.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a socket re-checks that its caller may still see the channel when nothing is delivered.</summary>
    public TimeSpan AccessCheck { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the log is read with no head movement heard, as a safety net.</summary>
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the log is read while other instances' commits cannot be heard.</summary>
    public TimeSpan UnheardPoll { get; set; } = TimeSpan.FromSeconds(1);
}
