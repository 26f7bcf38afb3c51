using Dapper;
using Montu.Server.Data;

namespace Montu.Server.Infrastructure.Idempotency;

/// <summary>One run of a key: only it may renew the claim, store the answer or release the key.</summary>
public sealed record KeyClaim(string UserId, string Key, string ClaimId);

/// <summary>A request with its key, as it asks to run.</summary>
public sealed record KeyedRequest(string UserId, string Key, string Fingerprint, string Method, string Path, string RequestId);

/// <summary>The answer kept for replays (a <see cref="StatusCode"/> of null: the first request is still running).</summary>
public sealed class KeyRow
{
    public string Fingerprint { get; init; } = "";

    public string Method { get; init; } = "";

    public string Path { get; init; } = "";

    public string RequestId { get; init; } = "";

    public int? StatusCode { get; init; }

    public string? ContentType { get; init; }

    public string? Location { get; init; }

    public string? Etag { get; init; }

    public byte[]? Body { get; init; }
}

/// <summary>An answer to keep: its status, the headers a client acts on, and its body.</summary>
public sealed record KeptAnswer(int StatusCode, string? ContentType, string? Location, string? Etag, byte[] Body);

/// <summary>
/// The <c>idempotency_keys</c> table (docs/decisions/0022). A key is claimed by one insert that
/// either adds the row or takes over an expired one: the primary key (user, key) makes the claim
/// atomic on both engines, however many requests and instances race for it.
/// </summary>
public sealed class IdempotencyKeys(Db db, IdGenerator ids, TimeProvider time)
{
    /// <summary>How long a key answers with its first request's answer.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>How long a claim holds without renewal: the request renews it every third of this while it runs.</summary>
    public static readonly TimeSpan ClaimLifetime = TimeSpan.FromMinutes(1);

    /// <summary>A claim that found the row gone (released between two statements on PostgreSQL) tries again, this often at most.</summary>
    private const int ClaimAttempts = 3;

    /// <summary>
    /// Claims the key for <paramref name="request"/>, or, when the key is held (running or
    /// answered, and not expired), returns its row instead. Neither: the key was released under
    /// this claim every time it looked, and is as good as running.
    /// </summary>
    public async Task<(KeyClaim? Claim, KeyRow? Held)> ClaimAsync(KeyedRequest request, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var now = Now();
            var claimId = ids.NewId("claim");
            var outcome = await db.InTransactionAsync<(KeyClaim?, KeyRow?)>(async tx =>
            {
                var claimed = await tx.Connection!.QuerySingleOrDefaultAsync<string>(new CommandDefinition("""
                    INSERT INTO idempotency_keys (user_id, idempotency_key, fingerprint, method, path, claim_id, claimed_until, request_id, created_at, expires_at)
                    VALUES (@UserId, @Key, @Fingerprint, @Method, @Path, @claimId, @claimedUntil, @RequestId, @now, @expiresAt)
                    ON CONFLICT (user_id, idempotency_key) DO UPDATE SET
                        fingerprint = excluded.fingerprint, method = excluded.method, path = excluded.path, claim_id = excluded.claim_id,
                        claimed_until = excluded.claimed_until, request_id = excluded.request_id, status_code = NULL, content_type = NULL,
                        location = NULL, etag = NULL, body = NULL, created_at = excluded.created_at, expires_at = excluded.expires_at
                    WHERE idempotency_keys.expires_at <= @now
                       OR (idempotency_keys.status_code IS NULL AND idempotency_keys.claimed_until <= @now)
                    RETURNING claim_id
                    """,
                    new
                    {
                        request.UserId,
                        request.Key,
                        request.Fingerprint,
                        request.Method,
                        request.Path,
                        claimId,
                        claimedUntil = now + ClaimLifetime,
                        request.RequestId,
                        now,
                        expiresAt = now + Lifetime,
                    },
                    tx, cancellationToken: ct));
                if (claimed is not null)
                {
                    return (new KeyClaim(request.UserId, request.Key, claimId), null);
                }

                var held = await tx.Connection!.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition("""
                    SELECT fingerprint, method, path, request_id, status_code, content_type, location, etag, body
                    FROM idempotency_keys WHERE user_id = @UserId AND idempotency_key = @Key
                    """, new { request.UserId, request.Key }, tx, cancellationToken: ct));
                return (null, held);
            }, ct);
            if (outcome is not (null, null) || attempt == ClaimAttempts)
            {
                return outcome;
            }
        }
    }

    /// <summary>Moves the claim's end on while its request runs; false once another run took the key over.</summary>
    public async Task<bool> RenewAsync(KeyClaim claim, CancellationToken ct) =>
        await db.InTransactionAsync(tx => tx.Connection!.ExecuteAsync(new CommandDefinition($"""
            UPDATE idempotency_keys SET claimed_until = @claimedUntil
            WHERE {Held}
            """, new { claim.UserId, claim.Key, claim.ClaimId, claimedUntil = Now() + ClaimLifetime }, tx, cancellationToken: ct)), ct) == 1;

    /// <summary>Keeps <paramref name="answer"/> for the key's replays; false when another run took the key over meanwhile.</summary>
    public async Task<bool> KeepAsync(KeyClaim claim, KeptAnswer answer, CancellationToken ct) =>
        await db.InTransactionAsync(tx => tx.Connection!.ExecuteAsync(new CommandDefinition($"""
            UPDATE idempotency_keys SET status_code = @StatusCode, content_type = @ContentType, location = @Location, etag = @Etag,
                body = @Body, claimed_until = NULL
            WHERE {Held}
            """, new { claim.UserId, claim.Key, claim.ClaimId, answer.StatusCode, answer.ContentType, answer.Location, answer.Etag, answer.Body },
            tx, cancellationToken: ct)), ct) == 1;

    /// <summary>Frees the key: its request failed, and a retry runs again.</summary>
    public Task ReleaseAsync(KeyClaim claim, CancellationToken ct) =>
        db.InTransactionAsync(tx => tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM idempotency_keys WHERE {Held}", new { claim.UserId, claim.Key, claim.ClaimId }, tx, cancellationToken: ct)), ct);

    /// <summary>Deletes up to <paramref name="max"/> expired keys; answers how many went.</summary>
    public Task<int> DeleteExpiredAsync(int max, CancellationToken ct) =>
        db.InTransactionAsync(tx => tx.Connection!.ExecuteAsync(new CommandDefinition("""
            DELETE FROM idempotency_keys
            WHERE (user_id, idempotency_key) IN (SELECT user_id, idempotency_key FROM idempotency_keys WHERE expires_at <= @now LIMIT @max)
            """, new { now = Now(), max }, tx, cancellationToken: ct)), ct);

    private const string Held = "user_id = @UserId AND idempotency_key = @Key AND claim_id = @ClaimId AND status_code IS NULL";

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
