using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace Montu.Server.Infrastructure.Idempotency;

/// <summary>What a repeat of a request must match to be the same request (see <see cref="RequestSameness"/>), as a SHA-256 in hex.</summary>
public static class RequestFingerprint
{
    public static async Task<string> OfAsync(HttpRequest request, RequestSameness sameness, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}{request.QueryString}\n"));
        if (sameness == RequestSameness.StreamedBody)
        {
            // The type without its parameters: a client retrying a multipart upload draws a new boundary.
            var type = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.ToString() : "";
            hash.AppendData(Encoding.UTF8.GetBytes($"{type}\n{request.ContentLength?.ToString(CultureInfo.InvariantCulture)}"));
        }
        else
        {
            // Kept for the route, which reads the body again; its size is bounded by the route's body limit.
            request.EnableBuffering();
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int read;
                while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
                request.Body.Position = 0;
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
