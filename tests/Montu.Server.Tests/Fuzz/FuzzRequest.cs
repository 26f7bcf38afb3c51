using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Montu.Server.Tests.Fuzz;

/// <summary>
/// One request of the campaign. The path and query are sent as written (already percent-encoded,
/// hostile or not) and the body as raw bytes, so it can carry what no serializer writes.
/// </summary>
public sealed record FuzzRequest(string Method, string Path, string Query, byte[]? Body, string? ContentType, string Mutation)
{
    /// <summary>Headers sent besides the role's token; an <c>Authorization</c> here replaces the token.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public string Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value ?? "";

    public HttpRequestMessage ToMessage(Uri server, string? accessToken)
    {
        var uri = new Uri(server.GetLeftPart(UriPartial.Authority) + Path + Query, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var message = new HttpRequestMessage(new HttpMethod(Method), uri);
        message.Headers.Accept.ParseAdd("application/json");
        if (accessToken is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + accessToken);
        }

        foreach (var (name, value) in Headers)
        {
            message.Headers.Remove(name);
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        return message;
    }

    /// <summary>The request on one line, long runs of one character shortened, to paste into a report.</summary>
    public string Describe()
    {
        var line = new StringBuilder($"{Method} {Shorten(Path + Query, 300)}");
        if (ContentType is not null)
        {
            line.Append($" [Content-Type: {ContentType}]");
        }

        foreach (var (name, value) in Headers)
        {
            line.Append($" [{name}: {Shorten(value, 80)}]");
        }

        if (Body is not null)
        {
            line.Append(" body: ").Append(Body.Length == 0 ? "(empty)" : Shorten(Encoding.UTF8.GetString(Body), 400));
        }

        return line.ToString();
    }

    public static string Shorten(string text, int max)
    {
        var collapsed = Regex.Replace(text, @"(.)\1{19,}", m => $"{m.Groups[1].Value}×{m.Length}", RegexOptions.Singleline);
        return collapsed.Length <= max ? collapsed : collapsed[..max] + $"…({collapsed.Length} chars)";
    }
}

/// <summary>
/// Serializes a node tree in which some values stand for raw bytes the serializer would refuse
/// or repair: lone surrogates (<c>"\ud800"</c>), numbers beyond every type, invalid UTF-8.
/// </summary>
public sealed class RawJson
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly Regex Marker = new("\"~raw~(\\d+)~\"", RegexOptions.Compiled);
    private readonly List<byte[]> _tokens = [];

    /// <summary>A value written as <paramref name="json"/> exactly, quotes included when it is a string.</summary>
    public JsonNode Token(string json) => Token(Encoding.UTF8.GetBytes(json));

    public JsonNode Token(byte[] raw) => JsonValue.Create(Name(raw));

    /// <summary>An object key written as <paramref name="json"/> exactly (quotes included).</summary>
    public string Key(string json) => Name(Encoding.UTF8.GetBytes(json));

    public static string Text(JsonNode? node) => node?.ToJsonString(Options) ?? "null";

    public byte[] Serialize(JsonNode? node)
    {
        var text = Text(node);
        var bytes = new List<byte>(text.Length + 16);
        var at = 0;
        foreach (Match match in Marker.Matches(text))
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(text[at..match.Index]));
            bytes.AddRange(_tokens[int.Parse(match.Groups[1].Value)]);
            at = match.Index + match.Length;
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(text[at..]));
        return [.. bytes];
    }

    private string Name(byte[] raw)
    {
        _tokens.Add(raw);
        return $"~raw~{_tokens.Count - 1}~";
    }
}
