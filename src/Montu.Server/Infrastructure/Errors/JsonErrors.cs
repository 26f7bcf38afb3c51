using System.Text.Json;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Infrastructure.Errors;

/// <summary>Describes a System.Text.Json failure as a field error a client can act on.</summary>
public static class JsonErrors
{
    /// <summary>Fields the server owns (docs/api.md §Updates): writing one is a clear error, not an unknown field.</summary>
    public static readonly IReadOnlySet<string> ServerOwned = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "createdAt", "created_at", "updatedAt", "updated_at", "createdBy", "created_by",
    };

    public static FieldError ReadOnly(string field) =>
        new(field, $"Field '{field}' is set by the server and cannot be written", ErrorCodes.ReadOnlyField);

    public static FieldError Describe(JsonException exception)
    {
        if (exception is MessagePackBodyException messagePack)
        {
            return messagePack.Detail;
        }

        var field = FieldFromPath(exception.Path);
        var text = exception.Message;
        if (text.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            if (ServerOwned.Contains(field))
            {
                return ReadOnly(field);
            }

            return new FieldError(field, $"Unknown field '{field}'", ErrorCodes.UnknownField);
        }

        // The reader refuses to turn a lone surrogate or bytes that are not UTF-8 into a string; the
        // serializer reports it as a conversion failure.
        if (exception.InnerException is InvalidOperationException inner && JsonText.IsNotUnicode(inner))
        {
            return new FieldError(field, $"Field '{field}' {JsonText.NotUnicode}", ErrorCodes.InvalidFormat);
        }

        if (text.StartsWith(JsonText.HoldsNul, StringComparison.Ordinal))
        {
            return new FieldError(field, $"Field '{field}' {JsonText.HoldsNul}", ErrorCodes.InvalidFormat);
        }

        if (text.Contains("could not be converted", StringComparison.Ordinal))
        {
            return new FieldError(field, $"Field '{field}' has the wrong type", ErrorCodes.InvalidType);
        }

        return new FieldError(field, "The request body is not valid JSON", ErrorCodes.MalformedJson);
    }

    /// <summary><c>$.frameRange.start</c> → <c>frameRange.start</c>; <c>$['odd key']</c> → <c>odd key</c>; <c>$</c> → <c>body</c>; shortened like any quoted input.</summary>
    public static string FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var trimmed = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return Quote.Name(trimmed.Replace("['", ".", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal).TrimStart('.'));
    }
}
