using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// Where MessagePack meets the JSON the server speaks (docs/decisions/0023): a MessagePack request
/// body is read as JSON, and an API document goes out as MessagePack to a client whose
/// <c>Accept</c> prefers it. Handlers, validation and errors know only JSON. Documents also get
/// their <c>Content-Length</c> when the client accepts compression, so that small ones are sent as
/// they are. Runs inside compression and outside everything that writes a body, error envelopes
/// included, and before routing, so a MessagePack body reaches routes that accept JSON.
/// </summary>
public static class WireEdge
{
    public static void UseWireEdge(this WebApplication app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(VaryOnAccept, context);
        var request = context.Request;
        if (MessagePackMedia.IsMessagePack(request.ContentType))
        {
            request.Body = new MessagePackRequestBody(request.Body);
            request.ContentType = "application/json";
            request.ContentLength = null;
        }

        var messagePack = MessagePackMedia.Negotiate(request.Headers.Accept);
        return messagePack is null && !request.Headers.ContainsKey(HeaderNames.AcceptEncoding) ? next(context) : HoldDocumentsAsync(context, next, messagePack);
    });

    private static async Task HoldDocumentsAsync(HttpContext context, RequestDelegate next, string? messagePack)
    {
        var inner = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        await using var body = new DocumentResponseBody(context, inner, messagePack);
        context.Features.Set<IHttpResponseBodyFeature>(body);
        try
        {
            await next(context);
            await body.SendAsync();
        }
        finally
        {
            context.Features.Set(inner);
        }
    }

    /// <summary>An API document's bytes depend on <c>Accept</c>: caches must keep JSON and MessagePack apart.</summary>
    private static Task VaryOnAccept(object state)
    {
        var context = (HttpContext)state;
        if (ApiDocuments.IsJson(context) || MessagePackMedia.IsMessagePack(context.Response.ContentType) && !ApiDocuments.IsStoredFile(context))
        {
            context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.Accept);
        }

        return Task.CompletedTask;
    }
}
