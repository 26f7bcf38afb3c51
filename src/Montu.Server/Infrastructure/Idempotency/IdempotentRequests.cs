using Microsoft.Extensions.Primitives;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Infrastructure.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on POST, PUT, PATCH and DELETE (docs/api.md §Idempotent retries,
/// docs/decisions/0022): the first request with a key runs and its answer is kept for 24 hours;
/// a repeat by the same user with the same request gets that answer again with
/// <c>Idempotent-Replayed: true</c> and changes nothing; the key with another request is 422, and
/// a repeat while the first still runs is 409. An answer of 500 or more, or a failure, frees the
/// key. Runs after access control, so a caller learns nothing of a route it may not use.
/// </summary>
public sealed partial class IdempotentRequests(IdempotencyKeys keys, TimeProvider time, ILogger<IdempotentRequests> logger)
{
    public const string KeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    /// <summary>Visible ASCII, as a header carries it unchanged through proxies and clients.</summary>
    public const string KeyPattern = "^[!-~]{1,255}$";

    /// <summary>Larger answers (a bulk update of every task) are not kept: the key is freed and a retry runs again.</summary>
    public const int MaxKeptBodyBytes = 8 * 1024 * 1024;

    public async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!IsWrite(request.Method)
            || !request.Headers.TryGetValue(KeyHeader, out var values)
            || context.GetEndpoint()?.Metadata.GetMetadata<IdempotencyPolicy>() is not { } policy)
        {
            await next(context);
            return;
        }

        if (Refusal(context, values, policy) is { } refused)
        {
            await refused.ExecuteAsync(context);
            return;
        }

        var caller = context.Features.Get<Caller>()!;
        var key = values.ToString();
        var fingerprint = await RequestFingerprint.OfAsync(request, policy.Sameness, context.RequestAborted);
        var path = $"{request.Path}{request.QueryString}";
        var (claim, held) = await keys.ClaimAsync(
            new KeyedRequest(caller.UserId, key, fingerprint, request.Method, path, context.TraceIdentifier), context.RequestAborted);
        if (claim is not null)
        {
            await RunAsync(context, next, claim);
        }
        else if (held is not null && held.Fingerprint != fingerprint)
        {
            var earlier = held.Method == request.Method && held.Path == path ? "the same route with another body" : $"{held.Method} {Quote.Of(held.Path)}";
            var message = $"Idempotency-Key {Quote.Of(key)} was used in the last 24 hours for another request ({earlier}); send a new key with a new request";
            await ApiError.BusinessRule(message, new FieldError(KeyHeader, message, ErrorCodes.DuplicateValue)).ExecuteAsync(context);
        }
        else if (held is { StatusCode: { } status })
        {
            await ReplayAsync(context, held, status);
        }
        else
        {
            await ApiError.Conflict($"A request with Idempotency-Key {Quote.Of(key)} is still running; retry once it has answered").ExecuteAsync(context);
        }
    }

    private static bool IsWrite(string method) => HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    private static ApiError? Refusal(HttpContext context, StringValues values, IdempotencyPolicy policy)
    {
        if (policy.RefusedBecause is { } reason)
        {
            return KeyError($"{context.Request.Method} {Quote.Of(context.Request.Path.Value)} takes no {KeyHeader}: {reason}; send it without one", ErrorCodes.InvalidValue);
        }

        if (context.Features.Get<Caller>() is null)
        {
            return KeyError($"{KeyHeader} needs a signed-in caller: keys are kept per user", ErrorCodes.InvalidValue);
        }

        if (values.Count != 1 || values[0] is not { } key || key.Length == 0)
        {
            return KeyError($"{KeyHeader} must be one value of 1 to {MaxKeyLength} characters", values.Count == 1 ? ErrorCodes.RequiredField : ErrorCodes.InvalidValue);
        }

        if (key.Length > MaxKeyLength)
        {
            return KeyError($"{KeyHeader} must be at most {MaxKeyLength} characters, not {key.Length}", ErrorCodes.OutOfRange);
        }

        return key.All(c => c is >= '!' and <= '~')
            ? null
            : KeyError($"{KeyHeader} may hold visible ASCII characters only (a UUID, say)", ErrorCodes.InvalidFormat);
    }

    private static ApiError KeyError(string message, string code) => ApiError.Validation(new FieldError(KeyHeader, message, code));

    /// <summary>
    /// Runs the request under its claim and keeps its answer. The route no longer sees the client
    /// go: a change it has begun is finished and kept, so that the client's retry gets its answer
    /// rather than making the change a second time.
    /// </summary>
    private async Task RunAsync(HttpContext context, RequestDelegate next, KeyClaim claim)
    {
        var response = context.Response;
        var clientGone = context.RequestAborted;
        var body = response.Body;
        using var copy = new ResponseCopy(body, MaxKeptBodyBytes, clientGone);
        using var ended = new CancellationTokenSource();
        var renewing = KeepClaimAsync(claim, ended.Token);
        response.Body = copy;
        context.RequestAborted = CancellationToken.None;
        try
        {
            await next(context);
        }
        catch
        {
            await ReleaseAsync(claim);
            throw;
        }
        finally
        {
            context.RequestAborted = clientGone;
            response.Body = body;
            await ended.CancelAsync();
            await renewing;
        }

        if (response.StatusCode >= 500)
        {
            await ReleaseAsync(claim);
        }
        else if (copy.Body is not { } kept)
        {
            LogTooLargeToKeep(logger, Quote.Of(claim.Key), response.StatusCode, MaxKeptBodyBytes);
            await ReleaseAsync(claim);
        }
        else
        {
            await KeepAsync(claim, new KeptAnswer(response.StatusCode, response.ContentType, response.Headers.Location, response.Headers.ETag, kept));
        }
    }

    /// <summary>Renews the claim every third of its life until the request ends; a failed renewal is tried again at the next.</summary>
    private async Task KeepClaimAsync(KeyClaim claim, CancellationToken ended)
    {
        while (true)
        {
            await Task.Delay(IdempotencyKeys.ClaimLifetime / 3, time, ended).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (ended.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await keys.RenewAsync(claim, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogRenewalFailed(logger, Quote.Of(claim.Key), e);
            }
        }
    }

    /// <summary>The answer has gone to the client: a failure to keep it is logged, and the claim runs out on its own.</summary>
    private async Task KeepAsync(KeyClaim claim, KeptAnswer answer)
    {
        try
        {
            if (!await keys.KeepAsync(claim, answer, CancellationToken.None))
            {
                LogTakenOver(logger, Quote.Of(claim.Key));
            }
        }
        catch (Exception e)
        {
            LogNotKept(logger, Quote.Of(claim.Key), e);
        }
    }

    /// <summary>
    /// Not cancelled: a key left claimed answers 409 until its claim runs out. A database that
    /// fails here lets the claim run out on its own, and the request's own failure is what is reported.
    /// </summary>
    private async Task ReleaseAsync(KeyClaim claim)
    {
        try
        {
            await keys.ReleaseAsync(claim, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogNotReleased(logger, Quote.Of(claim.Key), e);
        }
    }

    /// <summary>
    /// The kept answer as it was, under the id of the request that made it (so an error's
    /// <c>requestId</c> and <c>X-Request-Id</c> agree, and name the request the server's log tells of).
    /// </summary>
    private async Task ReplayAsync(HttpContext context, KeyRow held, int status)
    {
        LogReplayed(logger, context.TraceIdentifier, held.RequestId);
        context.TraceIdentifier = held.RequestId;
        var response = context.Response;
        response.StatusCode = status;
        response.Headers[ReplayedHeader] = "true";
        if (held.ContentType is { } type)
        {
            response.ContentType = type;
        }

        if (held.Location is { } location)
        {
            response.Headers.Location = location;
        }

        if (held.Etag is { } etag)
        {
            response.Headers.ETag = etag;
        }

        if (held.Body is { Length: > 0 } body)
        {
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} repeats request {FirstRequestId}: its kept answer is replayed")]
    private static partial void LogReplayed(ILogger logger, string requestId, string firstRequestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The answer to Idempotency-Key {Key} ({Status}) is larger than {Limit} bytes: not kept, and a retry runs again")]
    private static partial void LogTooLargeToKeep(ILogger logger, string key, int status, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency-Key {Key} was taken over while its request ran (its claim ran out): the answer is not kept")]
    private static partial void LogTakenOver(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not keep the answer to Idempotency-Key {Key}; a retry runs again once its claim runs out")]
    private static partial void LogNotKept(ILogger logger, string key, Exception e);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not free Idempotency-Key {Key}; a retry runs again once its claim runs out")]
    private static partial void LogNotReleased(ILogger logger, string key, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the claim of Idempotency-Key {Key}")]
    private static partial void LogRenewalFailed(ILogger logger, string key, Exception e);
}
