using Microsoft.AspNetCore.Http.HttpResults;
using Montu.Server.Data;
using Montu.Server.Features.Auth;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Users;

/// <summary>
/// Changes to existing accounts. Disabling and password changes end every session of the user
/// at once: refresh families are revoked and older access tokens refused.
/// </summary>
public sealed class UserChanges(
    Db db,
    UserQueries users,
    RefreshTokens refreshTokens,
    Passwords passwords,
    SignInThrottle throttle,
    EventLog events,
    UserAccessCache cache,
    TimeProvider time)
{
    public async Task<Results<Ok<User>, ApiError>> UpdateAsync(string userId, UpdateUserRequest change, string actorId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var result = await db.InTransactionAsync<Results<Ok<User>, ApiError>>(async tx =>
        {
            if (await users.FindAsync(tx, userId, ct) is not { } current)
            {
                return UsersApi.NotFound(userId);
            }

            if (change.Email is not null && await users.EmailTakenAsync(tx, change.Email, userId, ct))
            {
                return ApiError.Conflict($"A user with email {Quote.Of(change.Email.Trim())} already exists", new FieldError("email", "Email is taken", ErrorCodes.DuplicateValue));
            }

            var updated = current.Copy();
            updated.DisplayName = change.DisplayName?.Trim() ?? current.DisplayName;
            updated.Profile = UserRules.Merge(current.Profile, change.Profile);
            updated.IsAdmin = change.IsAdmin ?? current.IsAdmin;
            updated.Disabled = change.Disabled ?? current.Disabled;
            if (change.Email is { } email)
            {
                updated.Email = email.Trim();
                updated.EmailKey = UserRules.EmailKey(email);
            }

            if (updated.ToUser() == current.ToUser())
            {
                return TypedResults.Ok(current.ToUser());
            }

            var disabling = updated.Disabled && !current.Disabled;
            if (disabling)
            {
                updated.TokensNotBefore = SessionCutoff(now);
                await refreshTokens.RevokeAllAsync(tx, userId, now, ct);
            }

            updated.UpdatedAt = now;
            await users.UpdateAsync(tx, updated, ct);
            await events.AppendAsync(tx, new NewEvent(disabling ? "user_disabled" : "user_updated", null, "user", userId, new { userId, changes = change }, actorId), ct);
            return TypedResults.Ok(updated.ToUser());
        }, ct);
        cache.Invalidate(userId);
        return result;
    }

    /// <summary>Users change their own password by giving the current one, checked like a sign-in.</summary>
    public async Task<Results<NoContent, ApiError>> ChangeOwnPasswordAsync(
        string userId, string currentPassword, string newPassword, HttpContext context, CancellationToken ct)
    {
        if (await users.FindAsync(userId, ct) is not { } user)
        {
            return UsersApi.NotFound(userId);
        }

        // A stolen access token must not become a password-guessing oracle.
        if (throttle.Check(context, user.Email) is { } limited)
        {
            return limited;
        }

        if (passwords.Verify(user.PasswordHash, currentPassword) == PasswordCheck.Wrong)
        {
            throttle.Failed(context, user.Email);
            return ApiError.Forbidden("The current password is not correct");
        }

        throttle.Succeeded(user.Email);
        await SetPasswordAsync(userId, newPassword, userId, ct);
        return TypedResults.NoContent();
    }

    /// <summary>Sets a password without asking for the old one (an administrator, or demo mode) and ends the user's sessions.</summary>
    public async Task SetPasswordAsync(string userId, string newPassword, string? actorId, CancellationToken ct)
    {
        var hash = passwords.Hash(newPassword);
        var now = time.GetUtcNow().UtcDateTime;
        await db.InTransactionAsync(async tx =>
        {
            await users.SetPasswordAsync(tx, userId, hash, SessionCutoff(now), now, ct);
            await refreshTokens.RevokeAllAsync(tx, userId, now, ct);
            await events.AppendAsync(tx, new NewEvent("user_password_changed", null, "user", userId, new { userId }, actorId), ct);
            return true;
        }, ct);
        cache.Invalidate(userId);
    }

    /// <summary>
    /// Access tokens carry whole-second <c>iat</c>s, so the cutoff is rounded down: a sign-in in
    /// the same second as the change must still work.
    /// </summary>
    private static DateTime SessionCutoff(DateTime now) => new(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
