using System.Data.Common;
using Dapper;

namespace Montu.Server.Features.Auth;

/// <summary>
/// Access tokens ended before their expiry (logout). A row lives only until the token would have
/// expired anyway, so the list stays as short as the number of recent logouts.
/// </summary>
public static class RevokedAccessTokens
{
    public static async Task DenyAsync(DbTransaction tx, string tokenId, string userId, DateTime until, DateTime now, CancellationToken ct)
    {
        await tx.Connection!.ExecuteAsync(new CommandDefinition("""
            INSERT INTO revoked_access_tokens (jti, user_id, expires_at) VALUES (@tokenId, @userId, @until)
            ON CONFLICT (jti) DO NOTHING
            """, new { tokenId, userId, until }, tx, cancellationToken: ct));
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM revoked_access_tokens WHERE expires_at < @now", new { now }, tx, cancellationToken: ct));
    }
}
