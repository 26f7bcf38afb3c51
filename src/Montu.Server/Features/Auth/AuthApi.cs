using Microsoft.AspNetCore.Http.HttpResults;
using Montu.Server.Features.Activity;
using Montu.Server.Features.Users;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Idempotency;

namespace Montu.Server.Features.Auth;

public static class AuthApi
{
    private const string TokensAreNotKept = "its answer holds tokens, which are never stored for replays";

    public static void MapAuthApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/auth").WithTags("Authentication");
        group.MapPost("/login", Login).WithName("Login").AllowAnonymous().RefusesIdempotencyKeys(TokensAreNotKept).NeverCompressed()
            .WithSummary("Sign in with email and password; returns an access token and a refresh token").ProducesErrors(400, 401, 404, 429);
        group.MapPost("/refresh", Refresh).WithName("RefreshToken").AllowAnonymous().RefusesIdempotencyKeys(TokensAreNotKept).NeverCompressed()
            .WithSummary("Exchange a refresh token for new tokens (the old one stops working)").ProducesErrors(400, 401);
        group.MapPost("/logout", Logout).WithName("Logout").RequireSignedIn()
            .WithSummary("End this session: its refresh tokens and the access token used").ProducesErrors(401);
        group.MapGet("/me", GetCurrentUser).WithName("GetCurrentUser").RequireSignedIn()
            .WithSummary("The signed-in user, with permissions in the chosen project").ProducesErrors(401);
    }

    /// <summary><c>/.well-known/jwks.json</c>: the public keys that verify this server's tokens.</summary>
    public static void MapJwks(this IEndpointRouteBuilder app) =>
        app.MapGet("/.well-known/jwks.json", (SigningKeys keys, HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=300";
            return TypedResults.Bytes(keys.JwksJson, "application/json");
        }).WithName("GetJwks").WithTags("Authentication").AllowAnonymous().WithSummary("Public keys of the token signer (JWKS)")
            .Produces<JsonWebKeySet>(StatusCodes.Status200OK, "application/json");

    private static async Task<Results<Ok<TokenResponse>, ApiError>> Login(
        LoginRequest body, SignInThrottle throttle, Sessions sessions, HttpContext context, CancellationToken ct)
    {
        if (throttle.Check(context, body.Email) is { } limited)
        {
            return limited;
        }

        NoStore(context);
        var outcome = await sessions.LoginAsync(body, ClientInfo.From(context), ct);
        if (outcome.Result is ApiError { StatusCode: StatusCodes.Status401Unauthorized })
        {
            throttle.Failed(context, body.Email);
        }
        else if (outcome.Result is Ok<TokenResponse>)
        {
            throttle.Succeeded(body.Email);
        }

        return outcome;
    }

    private static async Task<Results<Ok<TokenResponse>, ApiError>> Refresh(RefreshRequest body, Sessions sessions, HttpContext context, CancellationToken ct)
    {
        NoStore(context);
        return await sessions.RefreshAsync(body, ClientInfo.From(context), ct);
    }

    private static async Task<NoContent> Logout(Caller caller, Sessions sessions, HttpContext context, CancellationToken ct)
    {
        await sessions.LogoutAsync(caller, ClientInfo.From(context), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<CurrentUser>, ApiError>> GetCurrentUser(Caller caller, UserQueries users, CancellationToken ct)
    {
        if (await users.FindAsync(caller.UserId, ct) is not { } user)
        {
            return ApiError.Unauthorized("The access token is not valid");
        }

        var projectId = caller.ProjectId;
        return TypedResults.Ok(new CurrentUser(
            user.Id,
            user.Email,
            user.DisplayName,
            projectId,
            projectId is null ? null : caller.RoleIn(projectId),
            Sessions.PermissionsIn(caller.User, projectId),
            user.IsAdmin,
            user.Profile,
            user.LastLogin));
    }

    /// <summary>RFC 6749 §5.1: responses carrying tokens must not be cached.</summary>
    private static void NoStore(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
    }
}
