using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Users;

public static class UsersApi
{
    public static void MapUsersApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/users").WithTags("Users");
        group.MapGet("/", ListUsers).WithName("ListUsers").RequireServerAdmin()
            .WithSummary("List users (server admins)").ProducesErrors(400, 401, 403);
        group.MapPost("/", CreateUser).WithName("CreateUser").RequireServerAdmin()
            .WithSummary("Create a user (server admins)").ProducesErrors(400, 401, 403, 409, 415);
        group.MapGet("/{userId}", GetUser).WithName("GetUser").RequireSelfOrServerAdmin()
            .WithSummary("Get a user: oneself, or anyone for server admins").ProducesErrors(401, 404);
        group.MapPatch("/{userId}", UpdateUser).WithName("UpdateUser").RequireSelfOrServerAdmin()
            .WithSummary("Update a user (partial); email, isAdmin and disabled only by a server admin, never on oneself")
            .ProducesErrors(400, 401, 403, 404, 409, 415);
        group.MapDelete("/{userId}", DisableUser).WithName("DisableUser").RequireServerAdmin()
            .WithSummary("Disable a user (never deleted: their history stays attributed)").ProducesErrors(401, 403, 404);
        group.MapPost("/{userId}/password", ChangePassword).WithName("ChangePassword").RequireSelfOrServerAdmin()
            .WithSummary("Set a new password: one's own with the current password, anyone's as a server admin; ends their sessions")
            .ProducesErrors(400, 401, 403, 404, 415, 429);
    }

    public sealed record ListQuery(
        [property: Description("Page number, from 1")] string? Page,
        [property: FromQuery(Name = "page_size"), Description("Items per page, 1 to 100 (default 50)")] string? PageSize,
        [property: Description("Opaque cursor from a previous page's nextCursor; page is then ignored")] string? Cursor,
        [property: Description("Substring of email or display name, case-insensitive")] string? Search,
        [property: FromQuery(Name = "include_disabled"), Description("Also list disabled users")] string? IncludeDisabled);

    private static async Task<Results<Ok<ListEnvelope<User, UserFilters>>, ApiError>> ListUsers(
        [AsParameters] ListQuery query, UserQueries users, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var page = PageRequest.Parse(query.Page, query.PageSize, query.Cursor, problems);
        var filters = new UserFilters(
            QueryValues.Text(query.Search),
            QueryValues.Bool(query.IncludeDisabled, "include_disabled", problems) is true ? true : null);
        string? after = null;
        if (page.Cursor is not null && !Cursor.TryDecode(page.Cursor, out after))
        {
            problems.Add("cursor", "The cursor is not valid; start again without it", ErrorCodes.InvalidFormat);
        }

        if (problems.Any)
        {
            return problems.ToError();
        }

        var (rows, total) = await users.ListAsync(filters, page, after, ct);
        var next = rows.Count == page.PageSize ? Cursor.Encode(rows[^1].EmailKey) : null;
        return TypedResults.Ok(new ListEnvelope<User, UserFilters>(
            rows.Select(r => r.ToUser()).ToList(), total, page.Number, page.PageSize, PageRequest.TotalPages(total, page.PageSize), next, filters)
        { LegacyItemsKey = "users" });
    }

    private static async Task<Results<Created<User>, ApiError>> CreateUser(CreateUserRequest body, UserAccounts accounts, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        UserRules.CheckEmail(body.Email, problems);
        UserRules.CheckDisplayName(body.DisplayName, problems);
        if (body.Password is not null)
        {
            UserRules.CheckPassword(body.Password, "password", problems);
        }

        UserRules.CheckProfile(body.Profile, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        var request = new NewUser(body.Email!, body.DisplayName!, body.Password, body.IsAdmin ?? false, UserRules.Merge(UserProfile.Empty, body.Profile));
        return await accounts.CreateAsync(request, "user_created", caller.UserId, ct) is { } user
            ? TypedResults.Created($"/api/v1/users/{user.Id}", user)
            : ApiError.Conflict($"A user with email {Quote.Of(body.Email!.Trim())} already exists", new FieldError("email", "Email is taken", ErrorCodes.DuplicateValue));
    }

    private static async Task<Results<Ok<User>, ApiError>> GetUser(string userId, UserQueries users, CancellationToken ct) =>
        await users.FindAsync(userId, ct) is { } user ? TypedResults.Ok(user.ToUser()) : NotFound(userId);

    private static async Task<Results<Ok<User>, ApiError>> UpdateUser(
        string userId, UpdateUserRequest body, UserChanges changes, Caller caller, CancellationToken ct)
    {
        // Mass assignment: nobody grants themselves admin, re-enables or re-addresses their own account.
        var guarded = new[] { ("email", body.Email is not null), ("isAdmin", body.IsAdmin is not null), ("disabled", body.Disabled is not null) }
            .Where(f => f.Item2).Select(f => f.Item1).ToList();
        if (userId == caller.UserId && guarded.Count > 0)
        {
            return ApiError.Forbidden($"You cannot change your own {string.Join(", ", guarded)}");
        }

        var problems = new ValidationProblems();
        if (body.DisplayName is not null)
        {
            UserRules.CheckDisplayName(body.DisplayName, problems);
        }

        if (body.Email is not null)
        {
            UserRules.CheckEmail(body.Email, problems);
        }

        UserRules.CheckProfile(body.Profile, problems);
        return problems.Any ? problems.ToError() : await changes.UpdateAsync(userId, body, caller.UserId, ct);
    }

    private static async Task<Results<Ok<User>, ApiError>> DisableUser(string userId, UserChanges changes, Caller caller, CancellationToken ct) =>
        userId == caller.UserId
            ? ApiError.Forbidden("You cannot disable your own account")
            : await changes.UpdateAsync(userId, new UpdateUserRequest { Disabled = true }, caller.UserId, ct);

    private static async Task<Results<NoContent, ApiError>> ChangePassword(
        string userId, ChangePasswordRequest body, UserChanges changes, UserQueries users, Caller caller, HttpContext context, CancellationToken ct)
    {
        var self = userId == caller.UserId;
        var problems = new ValidationProblems();
        if (self && string.IsNullOrEmpty(body.CurrentPassword))
        {
            problems.Required("currentPassword");
        }

        problems.MaxLength("currentPassword", body.CurrentPassword, InputLimits.PasswordMaxLength);

        UserRules.CheckPassword(body.NewPassword, "newPassword", problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        if (self)
        {
            return await changes.ChangeOwnPasswordAsync(userId, body.CurrentPassword!, body.NewPassword!, context, ct);
        }

        if (await users.FindAsync(userId, ct) is null)
        {
            return NotFound(userId);
        }

        await changes.SetPasswordAsync(userId, body.NewPassword!, caller.UserId, ct);
        return TypedResults.NoContent();
    }

    internal static ApiError NotFound(string userId) => ApiError.NotFound($"User {Quote.Of(userId)} not found");
}
