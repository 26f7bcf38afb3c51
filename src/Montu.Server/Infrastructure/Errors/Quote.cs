namespace Montu.Server.Infrastructure.Errors;

/// <summary>
/// Error messages quote what the client sent so they can find it, but never more than a line of
/// it: a 1 MB id must not come back as a 2 MB error.
/// </summary>
public static class Quote
{
    public const int MaxCharacters = 100;

    /// <summary><c>'SWA'</c>, or the first hundred characters and the length: <c>'aaaa…' (1048576 characters)</c>.</summary>
    public static string Of(string? value) => value switch
    {
        null => "null",
        { Length: <= MaxCharacters } => $"'{value}'",
        _ => $"'{Shortened(value)}…' ({value.Length} characters)",
    };

    /// <summary>A field path or key, unquoted, shortened the same way.</summary>
    public static string Name(string name) => name.Length <= MaxCharacters ? name : Shortened(name) + "…";

    /// <summary>The first hundred characters, without cutting a surrogate pair in two.</summary>
    private static string Shortened(string value)
    {
        var length = char.IsHighSurrogate(value[MaxCharacters - 1]) ? MaxCharacters - 1 : MaxCharacters;
        return value[..length];
    }
}
