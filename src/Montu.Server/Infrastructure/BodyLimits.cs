using Microsoft.AspNetCore.Http.Metadata;

namespace Montu.Server.Infrastructure;

/// <summary>
/// The largest request body a route accepts. Routing hands it to the server before the body is
/// read, so a larger body fails while it is read, whether or not it announced its length, and
/// answers 413 <c>PAYLOAD_TOO_LARGE</c>. Routes without one get Kestrel's limit, which
/// <see cref="Hosting"/> sets to <see cref="InputLimits.JsonBodyBytes"/>.
/// </summary>
public sealed record BodyLimit(long Bytes) : IRequestSizeLimitMetadata
{
    long? IRequestSizeLimitMetadata.MaxRequestBodySize => Bytes;
}

public static class BodyLimits
{
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimit(bytes));
}
