using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Infrastructure;

/// <summary>
/// Brotli or gzip for API documents, JSON and MessagePack, when the client accepts it
/// (docs/decisions/0023): at the fastest level, which on a page of tasks costs a few hundredths of
/// a millisecond for nearly all the gain; never for a document under <see cref="MinimumBytes"/>,
/// which fits in the first packet anyway; never for stored files (media, frames, thumbnails:
/// already compressed, and served by byte range); never on routes that hand out credentials.
/// </summary>
public static class Compression
{
    public const int MinimumBytes = 1024;

    public static IServiceCollection AddMontuCompression(this IServiceCollection services) => services
        .Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest)
        .Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest)
        .AddSingleton<IResponseCompressionProvider, DocumentCompressionProvider>()
        .AddResponseCompression(o =>
        {
            // TLS usually ends at a proxy in front, so HTTPS is no line here; BREACH is answered by
            // the routes that never compress (NeverCompressed).
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ["application/json", .. MessagePackMedia.Types];
        });

    /// <summary>
    /// Declares that a route's answers are never compressed: those that carry a credential (tokens,
    /// signed links) beside values the request chose, the ground BREACH works on.
    /// </summary>
    public static TBuilder NeverCompressed<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(NeverCompressedMetadata.Instance);

    private sealed class NeverCompressedMetadata
    {
        public static readonly NeverCompressedMetadata Instance = new();
    }

    /// <summary>
    /// The framework's choice (type, <c>Content-Range</c>, an encoding already there) plus this
    /// server's rules. A document's length is known when it is judged: the wire edge holds
    /// documents whole for clients that accept compression (<see cref="WireEdge"/>).
    /// </summary>
    private sealed class DocumentCompressionProvider(IServiceProvider services, IOptions<ResponseCompressionOptions> options)
        : ResponseCompressionProvider(services, options)
    {
        public override bool ShouldCompressResponse(HttpContext context) =>
            context.Response.ContentLength >= MinimumBytes
            && !ApiDocuments.IsStoredFile(context)
            && context.GetEndpoint()?.Metadata.GetMetadata<NeverCompressedMetadata>() is null
            && base.ShouldCompressResponse(context);
    }
}
