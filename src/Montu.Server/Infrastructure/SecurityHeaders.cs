namespace Montu.Server.Infrastructure;

/// <summary>
/// Headers on every response, errors included: no MIME sniffing, no referrer leaking ids in
/// URLs, no framing (nothing Montu serves is meant to be embedded). The <c>Server</c> header is
/// already off (<see cref="Hosting"/>).
/// </summary>
public static class SecurityHeaders
{
    public static void UseSecurityHeaders(this WebApplication app) => app.Use((context, next) =>
    {
        // Set when the response starts: the exception handler clears headers set earlier.
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    });
}
