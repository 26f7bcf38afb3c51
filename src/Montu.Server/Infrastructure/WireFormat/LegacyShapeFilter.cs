namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// Re-serializes a handler's value result in the v2.0 shape when the request asked for it, so
/// handlers never know which shape they serve.
/// </summary>
public sealed class LegacyShapeFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var outcome = result is INestedHttpResult nested ? nested.Result : result;
        if (!LegacyShape.IsRequested(context.HttpContext) || outcome is not IValueHttpResult { Value: { } value })
        {
            return result;
        }

        var status = (outcome as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        var body = value is ILegacyEnvelope envelope ? envelope.ToLegacy() : value;
        return TypedResults.Json(body, WireJson.Legacy, statusCode: status);
    }
}

/// <summary>A response whose v2.0 shape differs from its default shape by more than key naming.</summary>
public interface ILegacyEnvelope
{
    object ToLegacy();
}
