using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Montu.Server.Data;
using Montu.Server.Features.Activity;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Users;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Auth;

/// <summary>Signing in, refreshing and signing out: the session side of authentication.</summary>
public sealed class Sessions(
    Db db,
    EventLog events,
    UserQueries users,
    ProjectQueries projects,
    Passwords passwords,
    RefreshTokens refreshTokens,
    AccessTokenIssuer issuer,
    UserAccessCache cache,
    IOptions<AuthOptions> options,
    TimeProvider time,
    ILogger<Sessions> logger)
{
    /// <summary>The only answer to a failed sign-in, whichever part was wrong or the account disabled.</summary>
    public const string InvalidCredentials = "Invalid email or password";

    public async Task<Results<Ok<TokenResponse>, ApiError>> LoginAsync(LoginRequest request, ClientInfo client, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        if (string.IsNullOrWhiteSpace(request.Email))
        {
            problems.Required("email");
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            problems.Required("password");
        }

        // Before hashing: the cost of checking a password grows with its length.
        problems.MaxLength("email", request.Email, InputLimits.EmailLength);
        problems.MaxLength("password", request.Password, InputLimits.PasswordMaxLength);
        problems.MaxLength("projectId", request.ProjectId, InputLimits.ProjectIdLength);
        if (problems.Any)
        {
            return problems.ToError();
        }

        var user = await users.FindByEmailAsync(request.Email!, ct);
        var check = passwords.Verify(user?.PasswordHash, request.Password!);
        if (user is null || user.Disabled || check == PasswordCheck.Wrong)
        {
            return await FailedAsync(user, user is null ? "unknown_account" : user.Disabled ? "account_disabled" : "wrong_password", client, ct);
        }

        cache.Invalidate(user.Id);
        if (await cache.GetAsync(user.Id, ct) is not { } access)
        {
            return await FailedAsync(user, "account_disabled", client, ct);
        }

        var projectId = request.ProjectId ?? (access.Roles.Count == 1 ? access.Roles.Keys[0] : null);
        if (request.ProjectId is not null
            && !(access.IsAdmin ? await projects.FindAsync(request.ProjectId, ct) is not null : access.Roles.ContainsKey(request.ProjectId)))
        {
            return ProjectResolver.ProjectNotFound(request.ProjectId);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var session = new RefreshSession(refreshTokens.NewFamilyId(), user.Id, projectId);
        var refreshToken = refreshTokens.NewToken();
        var newHash = check == PasswordCheck.Rehash ? passwords.Hash(request.Password!) : null;
        var signedIn = await db.InTransactionAsync(async tx =>
        {
            // A targeted update: an administrator may disable the account while the password is checked.
            var updated = await tx.Connection!.ExecuteAsync(new CommandDefinition(
                "UPDATE users SET last_login = @now, password_hash = COALESCE(@newHash, password_hash) WHERE id = @id AND NOT disabled",
                new { now, newHash, id = user.Id }, tx, cancellationToken: ct));
            if (updated == 0)
            {
                return false;
            }

            await refreshTokens.DeleteExpiredAsync(tx, user.Id, now, ct);
            await refreshTokens.InsertAsync(tx, refreshToken, session, now, ct);
            await events.AppendAsync(tx, new NewEvent("user_signed_in", null, "user", user.Id,
                new { userId = user.Id, email = user.Email, projectId, sessionId = session.FamilyId, method = "password", ip = client.Ip, userAgent = client.UserAgent },
                user.Id), ct);
            return true;
        }, ct);
        return signedIn ? TypedResults.Ok(Respond(access, session, refreshToken)) : await FailedAsync(user, "account_disabled", client, ct);
    }

    /// <summary>Logs and records a refused sign-in (the audit's <c>sign_in_failed</c>), in a transaction of its own.</summary>
    private async Task<ApiError> FailedAsync(UserRow? user, string reason, ClientInfo client, CancellationToken ct)
    {
        // Never the typed email: people paste passwords into the wrong field.
        logger.LogInformation("Failed sign-in ({Account})", user?.Id ?? "unknown email");
        await db.InTransactionAsync(tx => events.AppendAsync(tx, SecurityEvents.FailedSignIn(user?.Id, user?.Email, reason, client), ct), ct);
        return ApiError.Unauthorized(InvalidCredentials);
    }

    /// <summary>Rotates the refresh token. Presenting one that was already rotated ends its whole family (RFC 9700).</summary>
    public async Task<Results<Ok<TokenResponse>, ApiError>> RefreshAsync(RefreshRequest request, ClientInfo client, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        if (string.IsNullOrEmpty(request.RefreshToken))
        {
            problems.Required("refreshToken");
        }

        problems.MaxLength("refreshToken", request.RefreshToken, InputLimits.OpaqueValueLength);
        if (problems.Any || request.RefreshToken is not { } token)
        {
            return problems.ToError();
        }

        var now = time.GetUtcNow().UtcDateTime;
        var next = refreshTokens.NewToken();
        var (session, replayed) = await db.InTransactionAsync<(RefreshSession?, bool)>(async tx =>
        {
            if (await refreshTokens.ClaimAsync(tx, token, next, now, ct) is { } claimed)
            {
                await refreshTokens.InsertAsync(tx, next, claimed, now, ct);
                await events.AppendAsync(tx, new NewEvent("session_refreshed", null, "user", claimed.UserId,
                    new { userId = claimed.UserId, sessionId = claimed.FamilyId, ip = client.Ip, userAgent = client.UserAgent }, claimed.UserId), ct);
                return (claimed, false);
            }

            if (await refreshTokens.FindReplayedAsync(tx, token, ct) is { } replay)
            {
                var revoked = await refreshTokens.RevokeFamilyAsync(tx, replay.FamilyId, now, ct);
                await events.AppendAsync(tx, new NewEvent("session_revoked", null, "user", replay.UserId, new
                {
                    userId = replay.UserId,
                    sessionId = replay.FamilyId,
                    reason = "refresh_token_reused",
                    revokedTokens = revoked,
                    ip = client.Ip,
                    userAgent = client.UserAgent,
                }, null), ct);
                return (replay, true);
            }

            return (null, false);
        }, ct);

        if (replayed)
        {
            cache.Invalidate(session!.UserId);
            logger.LogWarning("A rotated refresh token was presented again; session {SessionId} of user {UserId} ended", session.FamilyId, session.UserId);
        }

        if (session is null || replayed || await cache.GetAsync(session.UserId, ct) is not { Disabled: false } access)
        {
            return ApiError.Unauthorized("The refresh token is not valid; sign in again");
        }

        return TypedResults.Ok(Respond(access, session, next));
    }

    /// <summary>Ends the caller's session: its refresh family and, until it expires, the access token used.</summary>
    public async Task LogoutAsync(Caller caller, ClientInfo client, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await db.InTransactionAsync(async tx =>
        {
            if (caller.SessionId is { } sessionId)
            {
                await refreshTokens.RevokeFamilyAsync(tx, sessionId, now, ct);
            }

            var until = (caller.ExpiresAt + options.Value.ClockSkew).UtcDateTime;
            await RevokedAccessTokens.DenyAsync(tx, caller.TokenId, caller.UserId, until, now, ct);
            await events.AppendAsync(tx, new NewEvent("user_signed_out", null, "user", caller.UserId,
                new { userId = caller.UserId, sessionId = caller.SessionId, ip = client.Ip, userAgent = client.UserAgent }, caller.UserId), ct);
            return true;
        }, ct);
        cache.Invalidate(caller.UserId);
    }

    /// <summary>The spec's permission strings in a project: everything for server admins, the role's set for members.</summary>
    public static IReadOnlyList<string> PermissionsIn(UserAccess user, string? projectId) =>
        user.IsAdmin ? ProjectRoles.AllSpecPermissions
        : projectId is null ? []
        : ProjectRoles.SpecPermissions(user.Roles.GetValueOrDefault(projectId));

    private TokenResponse Respond(UserAccess user, RefreshSession session, string refreshToken)
    {
        var access = issuer.Issue(user.Id, session.ProjectId, session.FamilyId);
        return new TokenResponse(access.Token, "bearer", access.ExpiresInSeconds, refreshToken, user.Id, session.ProjectId,
            PermissionsIn(user, session.ProjectId), session.ProjectId is null ? null : user.Roles.GetValueOrDefault(session.ProjectId));
    }
}
