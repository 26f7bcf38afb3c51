using Microsoft.AspNetCore.Authorization;

namespace Montu.Server.Infrastructure.Access;

/// <summary>What an endpoint requires of its caller, declared as endpoint metadata.</summary>
public abstract record AccessRule;

/// <summary>No token needed: declared with the framework's <c>.AllowAnonymous()</c>.</summary>
public sealed record PublicRule : AccessRule
{
    public static readonly PublicRule Instance = new();
}

/// <summary>Any signed-in user; the handler scopes what it returns (lists, the caller's own data).</summary>
public sealed record SignedInRule : AccessRule
{
    public static readonly SignedInRule Instance = new();
}

/// <summary>Only server administrators (the users' <c>isAdmin</c> flag).</summary>
public sealed record ServerAdminRule : AccessRule
{
    public static readonly ServerAdminRule Instance = new();
}

/// <summary>The user named by a route value themselves, or a server administrator; anyone else gets 404.</summary>
public sealed record SelfOrServerAdminRule(string RouteValue) : AccessRule;

/// <summary>A permission in the project that <see cref="Resolver"/> finds for the request.</summary>
public sealed record ProjectRule(ProjectPermission Permission, ProjectResolver Resolver) : AccessRule;

/// <summary>
/// A signed link (<see cref="SignedLinks"/>) for <see cref="Purpose"/> on the resource named by the
/// route value <see cref="RouteValue"/> lets the request through without a token; without a link,
/// <see cref="Inner"/> decides.
/// </summary>
public sealed record SignedLinkRule(ProjectRule Inner, string RouteValue, string Purpose) : AccessRule;

/// <summary>
/// The declarations every endpoint makes, one each (docs/decisions/0005-authentication.md).
/// <see cref="AccessControl"/> enforces them before the handler binds or validates anything,
/// so the order is always 401 → 404 → 403 → 400. An endpoint that declares nothing is treated
/// as <see cref="RequireSignedIn{TBuilder}"/> and fails the access-matrix test.
/// </summary>
public static class Access
{
    /// <summary>Any valid token; use for lists (scope them with <see cref="ProjectAccess.Readable"/>) and self-service routes.</summary>
    public static TBuilder RequireSignedIn<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(SignedInRule.Instance);

    public static TBuilder RequireServerAdmin<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ServerAdminRule.Instance);

    public static TBuilder RequireSelfOrServerAdmin<TBuilder>(this TBuilder builder, string from = "userId") where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new SelfOrServerAdminRule(from));

    /// <summary>A permission in the project whose id is the route value <paramref name="from"/>.</summary>
    public static TBuilder RequireProject<TBuilder>(this TBuilder builder, ProjectPermission permission, string from = "projectId")
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProjectRule(permission, ProjectResolver.FromRoute(from)));

    /// <summary>A permission in the project found by <paramref name="resolvedBy"/> (the project of a task id, a body field...).</summary>
    public static TBuilder RequireProject<TBuilder>(this TBuilder builder, ProjectPermission permission, ProjectResolver resolvedBy)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProjectRule(permission, resolvedBy));

    /// <summary>A permission in the project <paramref name="resolvedBy"/> finds, or a signed link for <paramref name="purpose"/> on the resource <paramref name="routeValue"/> names.</summary>
    public static TBuilder RequireProjectOrSignedLink<TBuilder>(
        this TBuilder builder, ProjectPermission permission, ProjectResolver resolvedBy, string routeValue, string purpose)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new SignedLinkRule(new ProjectRule(permission, resolvedBy), routeValue, purpose));

    /// <summary>The rule an endpoint declares, or null when it declares none.</summary>
    public static AccessRule? Declared(Endpoint endpoint) => Declared(endpoint.Metadata);

    public static AccessRule? Declared(EndpointMetadataCollection metadata) =>
        metadata.GetMetadata<AccessRule>() ?? (metadata.GetMetadata<IAllowAnonymous>() is null ? null : PublicRule.Instance);
}
