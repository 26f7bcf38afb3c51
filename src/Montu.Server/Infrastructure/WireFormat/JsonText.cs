using System.Text.Json;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// Text the server can store. JSON may carry strings that parse but are not text (half of a
/// UTF-16 surrogate pair, <c>"\ud800"</c>, or bytes that are not UTF-8), and reading them throws;
/// and PostgreSQL refuses the character U+0000 in text and JSON, which SQLite would keep, so the
/// two engines would disagree. Bodies bound as <see cref="JsonElement"/> are checked here before
/// any handler reads them; typed bodies as they bind (<see cref="WireJson"/>), and query values
/// with their length (<see cref="QueryLengths"/>).
/// </summary>
public static class JsonText
{
    public const string NotUnicode =
        "is not valid Unicode text (a lone UTF-16 surrogate such as \\ud800, or bytes that are not UTF-8); send valid Unicode text";

    public const string HoldsNul = "contains the character U+0000, which cannot be stored; remove it";

    /// <summary>The first string or key under <paramref name="element"/> that cannot be stored, as a field error, or null.</summary>
    /// <param name="element">A body, or a value within one.</param>
    /// <param name="field">The element's own field path (<c>""</c> for the body).</param>
    public static FieldError? FindUnstorable(JsonElement element, string field)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Problem(element.GetString, field, key: false);
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (Problem(() => property.Name, field, key: true) is { } key)
                    {
                        return key;
                    }

                    if (FindUnstorable(property.Value, field.Length == 0 ? Quote.Name(property.Name) : $"{field}.{Quote.Name(property.Name)}") is { } error)
                    {
                        return error;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindUnstorable(item, $"{field}[{index++}]") is { } error)
                    {
                        return error;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>Whether a property of this type holds text <see cref="Storable"/> checks: a string, or strings in a list or map.</summary>
    public static bool CarriesText(Type type) =>
        type == typeof(string) || typeof(IEnumerable<string?>).IsAssignableFrom(type) || typeof(IEnumerable<KeyValuePair<string, string?>>).IsAssignableFrom(type);

    /// <summary>The value a typed body binds, unchanged, or a <see cref="JsonException"/> when its text holds U+0000.</summary>
    public static object? Storable(object? value)
    {
        var texts = value switch
        {
            string text => [text],
            IEnumerable<KeyValuePair<string, string?>> map => map.SelectMany(pair => new[] { pair.Key, pair.Value }),
            IEnumerable<string?> list => list,
            _ => [],
        };
        return texts.Any(text => text?.Contains('\0', StringComparison.Ordinal) == true) ? throw new JsonException(HoldsNul) : value;
    }

    /// <summary>Whether a reader's failure to produce a string was because the JSON held no text (rather than, say, a number).</summary>
    public static bool IsNotUnicode(InvalidOperationException failure) => failure.Message.Contains("UTF-", StringComparison.Ordinal);

    /// <summary>The problem with the string <paramref name="read"/> returns, or null when it is storable text.</summary>
    private static FieldError? Problem(Func<string?> read, string field, bool key)
    {
        string? text;
        try
        {
            text = read();
        }
        catch (InvalidOperationException failure) when (IsNotUnicode(failure))
        {
            return Invalid(field, key, NotUnicode);
        }

        return text?.Contains('\0', StringComparison.Ordinal) == true ? Invalid(field, key, HoldsNul) : null;
    }

    private static FieldError Invalid(string field, bool key, string problem)
    {
        var name = field.Length == 0 ? "body" : field;
        return new FieldError(name, key ? $"A key in '{name}' {problem}" : $"Field '{name}' {problem}", ErrorCodes.InvalidFormat);
    }
}
