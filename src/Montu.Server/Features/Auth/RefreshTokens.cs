using System.Buffers.Text;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using Montu.Server.Infrastructure;

namespace Montu.Server.Features.Auth;

/// <summary>The session a refresh token belonged to.</summary>
public sealed record RefreshSession(string FamilyId, string UserId, string? ProjectId);

/// <summary>
/// Refresh tokens (RFC 9700 §4.14): 256 random bits, stored only as SHA-256 hashes, one use
/// each. A login starts a family; each refresh marks its token used and adds the next one.
/// Looking tokens up by hash means no secret is ever compared in memory.
/// </summary>
public sealed class RefreshTokens(IdGenerator ids, IOptions<AuthOptions> options)
{
    private const string Prefix = "mrt_";
    private readonly TimeSpan _lifetime = TimeSpan.FromDays(options.Value.RefreshTokenDays);

    public string NewToken() => Prefix + Base64Url.EncodeToString(ids.NewSecret(32));

    public string NewFamilyId() => ids.NewId("sess");

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public Task InsertAsync(DbTransaction tx, string token, RefreshSession session, DateTime now, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition("""
            INSERT INTO refresh_tokens (token_hash, family_id, user_id, project_id, issued_at, expires_at)
            VALUES (@hash, @FamilyId, @UserId, @ProjectId, @now, @expires)
            """, new { hash = Hash(token), session.FamilyId, session.UserId, session.ProjectId, now, expires = now + _lifetime }, tx, cancellationToken: ct));

    /// <summary>
    /// Marks the token used if it is still usable, in one conditional statement: of two
    /// concurrent refreshes with the same token exactly one gets the session back.
    /// </summary>
    public Task<RefreshSession?> ClaimAsync(DbTransaction tx, string token, string replacement, DateTime now, CancellationToken ct) =>
        tx.Connection!.QuerySingleOrDefaultAsync<RefreshSession>(new CommandDefinition("""
            UPDATE refresh_tokens SET used_at = @now, replaced_by = @replacedBy
            WHERE token_hash = @hash AND used_at IS NULL AND revoked_at IS NULL AND expires_at > @now
              AND EXISTS (SELECT 1 FROM users u WHERE u.id = refresh_tokens.user_id AND NOT u.disabled)
            RETURNING family_id AS FamilyId, user_id AS UserId, project_id AS ProjectId
            """, new { hash = Hash(token), replacedBy = Hash(replacement), now }, tx, cancellationToken: ct));

    /// <summary>The session of a token that was already rotated and whose family is still live: a replay.</summary>
    public Task<RefreshSession?> FindReplayedAsync(DbTransaction tx, string token, CancellationToken ct) =>
        tx.Connection!.QuerySingleOrDefaultAsync<RefreshSession>(new CommandDefinition("""
            SELECT family_id AS FamilyId, user_id AS UserId, project_id AS ProjectId FROM refresh_tokens
            WHERE token_hash = @hash AND used_at IS NOT NULL AND revoked_at IS NULL
            """, new { hash = Hash(token) }, tx, cancellationToken: ct));

    public Task<int> RevokeFamilyAsync(DbTransaction tx, string familyId, DateTime now, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE refresh_tokens SET revoked_at = @now WHERE family_id = @familyId AND revoked_at IS NULL",
            new { familyId, now }, tx, cancellationToken: ct));

    /// <summary>Ends every session of a user (password change, disabling).</summary>
    public Task<int> RevokeAllAsync(DbTransaction tx, string userId, DateTime now, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE refresh_tokens SET revoked_at = @now WHERE user_id = @userId AND revoked_at IS NULL",
            new { userId, now }, tx, cancellationToken: ct));

    /// <summary>Drops the user's tokens that can no longer be used nor matter for replay detection.</summary>
    public Task DeleteExpiredAsync(DbTransaction tx, string userId, DateTime now, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM refresh_tokens WHERE user_id = @userId AND expires_at < @now",
            new { userId, now }, tx, cancellationToken: ct));
}
