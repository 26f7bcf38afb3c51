using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Realtime;

/// <summary>
/// Which web pages may open a socket. A browser always sends its page's <c>Origin</c>, and a
/// token in a page of another site must not be usable to listen in: only the server's own origin
/// (its web app) and those of <c>CORS_ORIGINS</c> may connect. Tools that send no
/// <c>Origin</c> (DCC plug-ins, scripts) are not browsers and connect freely.
/// </summary>
public static class SocketOrigins
{
    public static ApiError? Refusal(HttpContext context)
    {
        if (context.Request.Headers.Origin.ToString() is not { Length: > 0 } origin)
        {
            return null;
        }

        var own = $"{context.Request.Scheme}://{context.Request.Host}";
        var allowed = CrossOrigin.Origins(context.RequestServices.GetRequiredService<IConfiguration>());
        return string.Equals(origin, own, StringComparison.OrdinalIgnoreCase) || allowed.Contains("*")
            || allowed.Contains(origin, StringComparer.OrdinalIgnoreCase)
            ? null
            : ApiError.Forbidden($"Pages from {origin} may not open sockets here: add the origin to CORS_ORIGINS");
    }
}
