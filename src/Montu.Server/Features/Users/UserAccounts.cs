using Montu.Server.Data;
using Montu.Server.Features.Auth;
using Montu.Server.Infrastructure;

namespace Montu.Server.Features.Users;

/// <summary>What a new account starts with.</summary>
public sealed record NewUser(string Email, string DisplayName, string? Password, bool IsAdmin, UserProfile Profile);

/// <summary>
/// Creates accounts for every path that makes one: the users API, the first-start admin, demo
/// users and external sign-in with auto-provisioning. Each creation writes one event.
/// </summary>
public sealed class UserAccounts(Db db, UserQueries users, EventLog events, Passwords passwords, IdGenerator ids, TimeProvider time)
{
    /// <summary>The new user, or null when the email is already taken. <paramref name="actorId"/> is null when the server itself acts.</summary>
    public async Task<User?> CreateAsync(NewUser request, string eventType, string? actorId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var row = new UserRow
        {
            Id = ids.NewId("user"),
            Email = request.Email.Trim(),
            EmailKey = UserRules.EmailKey(request.Email),
            DisplayName = request.DisplayName.Trim(),
            // Hashing is deliberately slow; it happens before the transaction opens.
            PasswordHash = request.Password is null ? null : passwords.Hash(request.Password),
            Profile = request.Profile,
            IsAdmin = request.IsAdmin,
            CreatedAt = now,
            UpdatedAt = now,
        };
        return await db.InTransactionAsync(async tx =>
        {
            if (!await users.InsertIfEmailFreeAsync(tx, row, ct))
            {
                return null;
            }

            var user = row.ToUser();
            await events.AppendAsync(tx, new NewEvent(eventType, null, "user", user.Id, new { user }, actorId), ct);
            return user;
        }, ct);
    }
}
