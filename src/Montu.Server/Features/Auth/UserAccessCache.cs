using System.Collections.Concurrent;
using System.Collections.Frozen;
using Dapper;
using Microsoft.Extensions.Options;
using Montu.Server.Data;
using Montu.Server.Features.Users;
using Montu.Server.Infrastructure.Access;

namespace Montu.Server.Features.Auth;

/// <summary>
/// Keeps each user's access state (flags, memberships, tokens ended early) in memory so an
/// authenticated request costs no database round trip. Changes made on this instance call
/// <see cref="Invalidate"/> after commit and apply to the next request; on PostgreSQL, other
/// instances' changes arrive as announced events. <see cref="AuthOptions.UserCacheSeconds"/>
/// bounds how long an entry may be used while announcements are not heard
/// (docs/decisions/0005-authentication.md).
/// </summary>
public sealed class UserAccessCache(Db db, TimeProvider time, IOptions<AuthOptions> options) : IAnnouncedEventHandler
{
    private readonly ConcurrentDictionary<string, Cached<UserAccess?>> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Cached<string?>> _idByEmail = new(StringComparer.Ordinal);
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(options.Value.UserCacheSeconds);
    private readonly TimeSpan _sessionWindow = options.Value.AccessTokenLifetime + options.Value.ClockSkew;

    // Bumped by every invalidation: a load that overlapped one is used once but not cached.
    private long _generation;

    public async ValueTask<UserAccess?> GetAsync(string userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_byId.TryGetValue(userId, out var cached) && cached.ExpiresAt > now)
        {
            return cached.Value;
        }

        var generation = Interlocked.Read(ref _generation);
        var loaded = await LoadAsync(userId, now.UtcDateTime, ct);
        if (Interlocked.Read(ref _generation) == generation)
        {
            _byId[userId] = new Cached<UserAccess?>(loaded, now + _ttl);
        }

        return loaded;
    }

    /// <summary>The id of the user with this email, for tokens of external issuers that identify people by email.</summary>
    public async ValueTask<string?> FindIdByEmailAsync(string email, CancellationToken ct)
    {
        var key = UserRules.EmailKey(email);
        var now = time.GetUtcNow();
        if (_idByEmail.TryGetValue(key, out var cached) && cached.ExpiresAt > now)
        {
            return cached.Value;
        }

        var generation = Interlocked.Read(ref _generation);
        await using var connection = await db.OpenAsync(ct);
        var id = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT id FROM users WHERE email_key = @key", new { key }, cancellationToken: ct));
        if (Interlocked.Read(ref _generation) == generation)
        {
            _idByEmail[key] = new Cached<string?>(id, now + _ttl);
        }

        return id;
    }

    /// <summary>Call after committing any change to the user's flags, email, memberships or sessions.</summary>
    public void Invalidate(string userId)
    {
        Interlocked.Increment(ref _generation);
        _byId.TryRemove(userId, out _);
        _idByEmail.Clear();
    }

    /// <summary>Sessions and accounts are events about a user; memberships are events about a project, naming users in their payload.</summary>
    public void Handle(AnnouncedEvent announced)
    {
        if (announced.EntityType == "user")
        {
            Invalidate(announced.EntityId);
        }
        else if (announced.Type.StartsWith("project_member", StringComparison.Ordinal))
        {
            ForgetEveryone();
        }
    }

    public void AnnouncementsMissed() => ForgetEveryone();

    private void ForgetEveryone()
    {
        Interlocked.Increment(ref _generation);
        _byId.Clear();
        _idByEmail.Clear();
    }

    private async Task<UserAccess?> LoadAsync(string userId, DateTime now, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition("""
            SELECT id, email, display_name, is_admin, disabled, tokens_not_before FROM users WHERE id = @userId;
            SELECT project_id, role FROM project_members WHERE user_id = @userId;
            SELECT jti FROM revoked_access_tokens WHERE user_id = @userId AND expires_at > @now;
            SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = @userId AND revoked_at > @revokedSince;
            """, new { userId, now, revokedSince = now - _sessionWindow }, cancellationToken: ct));
        var user = await results.ReadSingleOrDefaultAsync<AccessRow>();
        var roles = (await results.ReadAsync<(string ProjectId, string Role)>()).ToFrozenDictionary(r => r.ProjectId, r => r.Role, StringComparer.Ordinal);
        var deniedTokens = (await results.ReadAsync<string>()).ToFrozenSet(StringComparer.Ordinal);
        var revokedSessions = (await results.ReadAsync<string>()).ToFrozenSet(StringComparer.Ordinal);
        return user is null ? null : new UserAccess(
            user.Id,
            user.Email,
            user.DisplayName,
            user.IsAdmin,
            user.Disabled,
            user.TokensNotBefore is { } notBefore ? DateTime.SpecifyKind(notBefore, DateTimeKind.Utc) : null,
            roles,
            deniedTokens,
            revokedSessions);
    }

    private sealed record Cached<T>(T Value, DateTimeOffset ExpiresAt);

    private sealed class AccessRow
    {
        public string Id { get; init; } = "";

        public string Email { get; init; } = "";

        public string DisplayName { get; init; } = "";

        public bool IsAdmin { get; init; }

        public bool Disabled { get; init; }

        public DateTime? TokensNotBefore { get; init; }
    }
}
