using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Infrastructure.Access;

/// <summary>
/// Enforces each endpoint's declared <see cref="AccessRule"/> after authentication and before
/// the endpoint binds its parameters: no or invalid token → 401, a project the caller cannot
/// read → 404, a permission they lack → 403; only then does validation run. Endpoints that
/// declare nothing still require a valid token (fail closed). A share link
/// (<see cref="ShareLinks"/>) is decided first, and alone: admitted, its guest is the caller.
/// </summary>
public static class AccessControl
{
    public static void UseAccessControl(this WebApplication app) => app.Use(EnforceAsync);

    private static async Task EnforceAsync(HttpContext context, RequestDelegate next)
    {
        // No endpoint, or the router's own refusal of a known path (405 wrong method, 415 body not
        // JSON), which carries no metadata: nothing to protect, and the client learns what to fix.
        if (context.GetEndpoint() is not { } endpoint || (endpoint is not RouteEndpoint && endpoint.Metadata.Count == 0))
        {
            await next(context);
            return;
        }

        var rule = Access.Declared(endpoint) ?? SignedInRule.Instance;
        if (rule is PublicRule)
        {
            await next(context);
            return;
        }

        if (ShareLinks.Presented(context) is { } share)
        {
            // Only the share decides: whatever token came with it, the request runs as the link's guest.
            var admission = await context.RequestServices.GetRequiredService<IShareLinkGate>().AdmitAsync(context, share, endpoint.Metadata.GetMetadata<ShareLinkRule>());
            if (admission.Refusal is { } refused)
            {
                await refused.ExecuteAsync(context);
                return;
            }

            context.Features.Set(admission.Guest!);
            rule = rule is SignedLinkRule signed ? signed.Inner : rule;
        }
        else if (rule is SignedLinkRule link)
        {
            if (SignedLinks.IsPresented(context))
            {
                await (LinkAdmits(context, link) ? next(context) : LinkRefusedAsync(context));
                return;
            }

            rule = link.Inner;
        }

        if (context.Features.Get<Caller>() is not { } caller)
        {
            await UnauthorizedAsync(context);
            return;
        }

        var refusal = rule switch
        {
            ServerAdminRule when !caller.IsServerAdmin => ApiError.Forbidden("Only server administrators may do this"),
            SelfOrServerAdminRule self when !caller.IsServerAdmin && context.Request.RouteValues[self.RouteValue] as string != caller.UserId =>
                ApiError.NotFound($"User {Quote.Of(context.Request.RouteValues[self.RouteValue] as string)} not found"),
            ProjectRule project => await CheckProjectAsync(context, caller, project),
            _ => null,
        };
        if (refusal is not null)
        {
            await refusal.ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static async Task<ApiError?> CheckProjectAsync(HttpContext context, Caller caller, ProjectRule rule)
    {
        var resolution = await rule.Resolver.ResolveAsync(context);
        if (resolution.Failure is not null)
        {
            return resolution.Failure;
        }

        context.Features.Set(new ResolvedProject(resolution.ProjectId!));
        return ProjectAccess.Check(caller, resolution.ProjectId!, rule.Permission, resolution.NotFoundMessage);
    }

    private static bool LinkAdmits(HttpContext context, SignedLinkRule link) =>
        context.Request.RouteValues[link.RouteValue] is string { Length: > 0 } id
        && context.RequestServices.GetRequiredService<SignedLinks>().Verify(context, id, link.Purpose);

    private static Task LinkRefusedAsync(HttpContext context) =>
        ApiError.Unauthorized("The link is not valid or has expired; ask for a new one").ExecuteAsync(context);

    /// <summary>RFC 6750: a 401 names the scheme, and says <c>invalid_token</c> when a token was sent.</summary>
    public static Task UnauthorizedAsync(HttpContext context)
    {
        string message;
        if (context.Features.Get<TokenRejection>() is not { } rejection)
        {
            message = "Authentication required: send an access token in the Authorization header (Bearer)";
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }
        else
        {
            // The precise reason is logged by the authentication handler; clients learn just whether refreshing helps.
            message = rejection.Expired ? "The access token has expired; refresh it or sign in again" : "The access token is not valid";
            context.Response.Headers.WWWAuthenticate = $"Bearer error=\"invalid_token\", error_description=\"{message}\"";
        }

        return ApiError.Unauthorized(message).ExecuteAsync(context);
    }
}

/// <summary>The project a route's access was checked in, for what else depends on it (a project's write rules).</summary>
public sealed record ResolvedProject(string Id);

/// <summary>Set by authentication when a token was presented but refused.</summary>
public sealed record TokenRejection(bool Expired);
