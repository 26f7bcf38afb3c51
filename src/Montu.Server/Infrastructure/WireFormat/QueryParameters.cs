using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Montu.Server.Features.Auth;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// Refuses query parameters a route does not read, naming each (and the one meant, when close),
/// so <c>?pgae=2</c> or <c>?projectid=SWA</c> is an error rather than a silently unfiltered list.
/// A route's parameters are those its handler binds from the query, by the names they bind
/// (case-insensitively, as the framework binds them). A WebSocket upgrade may also carry its
/// access token as <c>token</c>, a route that takes signed links their expiry and signature, and one
/// open to share links <c>share</c>.
/// </summary>
public static class QueryParameters
{
    /// <summary>Read on every route: the v2.0 shape switch, and the cache buster browsers' libraries add.</summary>
    private static readonly string[] Everywhere = [LegacyShape.QueryParameter, "_"];

    public static TBuilder RejectUnknownQueryParameters<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((context, next) =>
        {
            var declared = Declared(context.MethodInfo);
            var known = new HashSet<string>([.. declared, .. Everywhere], StringComparer.OrdinalIgnoreCase);
            return invocation =>
            {
                var request = invocation.HttpContext.Request;
                // Every request passes here: the common case, no query or only known names, allocates nothing.
                foreach (var name in request.Query.Keys)
                {
                    if (IsUnknown(name, known, invocation.HttpContext))
                    {
                        var unknown = request.Query.Keys.Where(key => IsUnknown(key, known, invocation.HttpContext)).ToList();
                        return ValueTask.FromResult<object?>(Refuse(unknown, declared));
                    }
                }

                return next(invocation);
            };
        });

    private static bool IsUnknown(string name, HashSet<string> known, HttpContext context) =>
        !known.Contains(name) && !(name == BearerEvents.QueryToken && context.WebSockets.IsWebSocketRequest) && !IsLinkParameter(name, context);

    /// <summary>A route that takes signed links reads their two parameters.</summary>
    private static bool IsLinkParameter(string name, HttpContext context) =>
        (name is SignedLinks.ExpiresParameter or SignedLinks.SignatureParameter && context.GetEndpoint()?.Metadata.GetMetadata<SignedLinkRule>() is not null)
        || (name == ShareLinks.QueryParameter && context.GetEndpoint()?.Metadata.GetMetadata<ShareLinkRule>() is not null);

    private static ApiError Refuse(IReadOnlyList<string> unknown, IReadOnlyList<string> declared) => ApiError.Validation(unknown
        .Select(name => new FieldError(Quote.Name(name), $"Unknown query parameter {Quote.Of(name)}{Spelling.Hint(Spelling.Nearest(name, declared))}", ErrorCodes.UnknownField))
        .ToList());

    /// <summary>The query names a handler binds: its <c>[FromQuery]</c> parameters and the properties of its <c>[AsParameters]</c> records.</summary>
    private static List<string> Declared(MethodInfo handler)
    {
        var names = new List<string>();
        foreach (var parameter in handler.GetParameters())
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                // Lowercased as clients write them (and as the API description lists them): binding ignores case.
                names.AddRange(parameter.ParameterType.GetProperties().Select(p => FromQuery(p)?.Name ?? p.Name.ToLowerInvariant()));
            }
            else if (FromQuery(parameter) is { } query)
            {
                names.Add(query.Name ?? parameter.Name!);
            }
        }

        return names;
    }

    private static IFromQueryMetadata? FromQuery(ICustomAttributeProvider member) =>
        member.GetCustomAttributes(inherit: true).OfType<IFromQueryMetadata>().FirstOrDefault();
}
