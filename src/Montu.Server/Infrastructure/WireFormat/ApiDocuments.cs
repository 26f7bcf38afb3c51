namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// Which responses are the API's own JSON documents, which the wire edge may send as MessagePack
/// and compress, as opposed to stored files that happen to be JSON (a <c>.json</c> document
/// uploaded as a media version), which go out byte for byte.
/// </summary>
public static class ApiDocuments
{
    private static readonly object StoredFileMarker = new();

    /// <summary>Called by whatever sends a stored file's bytes, before it sets their type.</summary>
    public static void MarkStoredFile(HttpContext context) => context.Items[StoredFileMarker] = true;

    public static bool IsStoredFile(HttpContext context) => context.Items.ContainsKey(StoredFileMarker);

    public static bool IsJson(HttpContext context) =>
        context.Response.ContentType is { } type
        && type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
        && (type.Length == "application/json".Length || type["application/json".Length] is ';' or ' ')
        && !IsStoredFile(context);
}
