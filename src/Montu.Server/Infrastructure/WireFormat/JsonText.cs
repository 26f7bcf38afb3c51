using System.Text.Json;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// JSON may escape half of a UTF-16 surrogate pair (<c>"\ud800"</c>): the document parses, but the
/// string is not text, and reading it throws. Bodies bound as <see cref="JsonElement"/> are
/// checked here before any handler reads them; typed bodies report it through <see cref="JsonErrors"/>.
/// </summary>
public static class JsonText
{
    public const string LoneSurrogate =
        "holds a lone UTF-16 surrogate (an escape from \\ud800 to \\udfff without its pair); send valid Unicode text";

    /// <summary>The first string or key under <paramref name="element"/> that is not text, as a field error, or null.</summary>
    /// <param name="element">A body, or a value within one.</param>
    /// <param name="field">The element's own field path (<c>""</c> for the body).</param>
    public static FieldError? FindLoneSurrogate(JsonElement element, string field)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when !IsText(element):
                return Invalid(field);
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryName(property, out var name))
                    {
                        return Invalid(field, key: true);
                    }

                    if (FindLoneSurrogate(property.Value, field.Length == 0 ? Quote.Name(name) : $"{field}.{Quote.Name(name)}") is { } error)
                    {
                        return error;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindLoneSurrogate(item, $"{field}[{index++}]") is { } error)
                    {
                        return error;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static FieldError Invalid(string field, bool key = false)
    {
        var name = field.Length == 0 ? "body" : field;
        return new FieldError(name, key ? $"A key in '{name}' {LoneSurrogate}" : $"Field '{name}' {LoneSurrogate}", ErrorCodes.InvalidFormat);
    }

    private static bool IsText(JsonElement element)
    {
        try
        {
            _ = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }
}
