namespace Montu.Server.Data;

/// <summary>LIKE patterns from user text, with <c>%</c>, <c>_</c> and <c>\</c> taken literally (use with <c>ESCAPE '\'</c>).</summary>
public static class Like
{
    public static string Contains(string text) =>
        "%" + text.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
