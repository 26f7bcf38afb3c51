using Microsoft.AspNetCore.Http.Features;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Infrastructure;

/// <summary>
/// Refuses request targets whose path holds dot segments (<c>/..</c>, <c>/%2e%2e</c>) or encoded
/// slashes (<c>%2f</c>, <c>%5c</c>). The server would normalise
/// <c>DELETE /api/v1/projects/%2e%2e/users/{id}</c> into <c>DELETE /api/v1/users/{id}</c>, a route a
/// path-filtering proxy in front never saw; no client of the API needs either form.
/// </summary>
public static class RawPathCheck
{
    public static void UseRawPathCheck(this WebApplication app) => app.Use((context, next) =>
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? target : target[..query];
        return IsPlain(path) ? next(context) : ErrorWriter.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.Validation,
            "The request path must not contain '.' or '..' segments or encoded slashes; send the resource's path as it is");
    });

    private static bool IsPlain(string path)
    {
        if (!path.Contains('%', StringComparison.Ordinal) && !path.Contains("/.", StringComparison.Ordinal))
        {
            return true;
        }

        if (path.Contains("%2f", StringComparison.OrdinalIgnoreCase) || path.Contains("%5c", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment.Length is > 0 and <= 6 && Uri.UnescapeDataString(segment) is "." or "..")
            {
                return false;
            }
        }

        return true;
    }
}
