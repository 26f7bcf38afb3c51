using System.Buffers.Text;
using System.Security.Cryptography;

namespace Montu.Server.Infrastructure;

/// <summary>
/// Every response carries <c>X-Request-Id</c>: the client's value when it is sane (so a DCC
/// plug-in can correlate its own logs), otherwise a new <c>req_...</c>.
/// </summary>
public static class RequestIds
{
    public const string Header = "X-Request-Id";

    public static void UseRequestIds(this WebApplication app) => app.Use((context, next) =>
    {
        var supplied = context.Request.Headers[Header].ToString();
        context.TraceIdentifier = IsSane(supplied) ? supplied : NewId();
        // Set when the response starts: the exception handler clears headers set earlier.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Header] = context.TraceIdentifier;
            return Task.CompletedTask;
        });
        return next(context);
    });

    private static bool IsSane(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    private static string NewId() => "req_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));
}
