using Montu.Server.Data;
using Montu.Server.Features.Users;
using Montu.Server.Infrastructure;

namespace Montu.Server.Features.Activity;

/// <summary>
/// Records rate-limit refusals as <c>rate_limited</c> events, at most one per limit and partition
/// (user, address, account, share link) per minute, and at most <see cref="MaxPerMinute"/> a
/// minute in all, per instance: a flood of refused requests cannot grow the log without bound,
/// and the first refusal of each minute says who was refused, where and how (decision 0039).
/// </summary>
public sealed partial class RateLimitAudit(Db db, EventLog events, UserQueries users, TimeProvider time, ILogger<RateLimitAudit> logger) : IRateLimitRecorder
{
    public const int MaxPerMinute = 1000;

    private readonly Lock _lock = new();
    private readonly HashSet<string> _recorded = new(StringComparer.Ordinal);
    private long _minute;

    public async Task RecordAsync(HttpContext context, string policy, string partition)
    {
        if (!Admit($"{policy}\n{partition}"))
        {
            return;
        }

        try
        {
            // The email typed is what the account limit counts by; the log names the account it reached, if any.
            var userId = policy switch
            {
                "login-email" => (await users.FindByEmailAsync(partition, CancellationToken.None))?.Id,
                "api" when !partition.StartsWith("share:", StringComparison.Ordinal) && partition != "anonymous" => partition,
                _ => null,
            };
            var subject = policy == "login-email" ? userId ?? "unknown_account" : partition;
            var client = ClientInfo.From(context);
            var change = new NewEvent(SecurityEvents.RateLimited, null, "rate_limit", $"{policy}:{subject}", new
            {
                policy,
                userId,
                ip = client.Ip,
                userAgent = client.UserAgent,
                method = context.Request.Method,
                path = context.Request.Path.Value,
                retryAfterSeconds = int.TryParse(context.Response.Headers.RetryAfter, out var seconds) ? seconds : (int?)null,
            }, policy == "api" ? userId : null);
            await db.InTransactionAsync(tx => events.AppendAsync(tx, change, CancellationToken.None), CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The refusal is answered whatever happens to its record.
            LogNotRecorded(logger, policy, e);
        }
    }

    /// <summary>True for the first refusal of this key in the current minute, while the minute's allowance lasts.</summary>
    private bool Admit(string key)
    {
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        lock (_lock)
        {
            if (minute != _minute)
            {
                _minute = minute;
                _recorded.Clear();
            }

            return _recorded.Count < MaxPerMinute && _recorded.Add(key);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A refusal by the rate limit {Policy} could not be recorded in the audit")]
    private static partial void LogNotRecorded(ILogger logger, string policy, Exception exception);
}
