using System.Text.Json.Nodes;
using static Montu.Server.Tests.Fuzz.BodyFields;

namespace Montu.Server.Tests.Fuzz;

/// <summary>What the mutations put where a valid request has something sensible.</summary>
public static class HostileValues
{
    /// <summary>Far past every field limit, yet small enough that a value stored by one case does not slow all the next ones.</summary>
    public const int HugeLength = 30_000;

    public static readonly Func<JsonNode?>[] SimpleValues =
        [() => true, () => 1, () => "x", () => null, () => new JsonObject(), () => new JsonArray(), () => "admin"];

    public static readonly string[] HugeUnits = ["x", "é", "日", "🎬"];

    public static readonly string[] UnicodeStrings =
    [
        "日本語のショット", "👩‍🎨🎬✨", "\u202Egnp.exe", "e\u0301\u0301\u0301", "\uFEFFbom", "Ω≈ç√∫", "\u2028\u2029", "𝕏𝕐ℤ", "ﷺ",
        "\u00A0\u2003", "İıŞ", "Ǆ", "ß", new string('é', 3000), "Z" + string.Concat(Enumerable.Repeat("\u0336\u0337", 500)),
    ];

    /// <summary>As JSON text: the escapes name a UTF-16 half with no other half.</summary>
    public static readonly string[] LoneSurrogates = ["\"\\ud800\"", "\"a\\udfffb\"", "\"\\udbff\\udbff\"", "\"\\ud83c\"", "\"ok\\udc00\""];

    public static readonly string[] ControlStrings =
        ["\u0000", "a\u0000b", "\u0007\u0008", "\u001b[31mred", "line\nbreak", "tab\there", "\r\n", "\u007f", "\u0085"];

    public static readonly string[] BlankStrings = ["", " ", "   ", "\t", "\n"];

    public static readonly string[] HostileText =
    [
        "' OR 1=1 --", "\"; DROP TABLE tasks; --", "{project}", "{drive_working}", "{{x}}", "{", "}", "../../etc/passwd", "..\\..\\windows",
        "C:\\", "%s%n%x", "<script>alert(1)</script>", "${jndi:ldap://x}", "$where", "null", "undefined", "NaN", "true", "0x10", "__proto__",
        "a/b", "..", ".",
    ];

    public static readonly string[] EdgeDates =
    [
        "2025-13-45T99:99:99Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "2025-01-01", "2025-01-01T00:00:00+14:00",
        "2025-01-01T00:00:00", "yesterday", "1700000000", "2025-02-30T00:00:00Z", "-2025-01-01T00:00:00Z", "+275760-09-13T00:00:00Z",
    ];

    /// <summary>As JSON text, so that numbers beyond every .NET type are sent as they are.</summary>
    public static readonly string[] EdgeNumbers =
    [
        "-1", "0", "-0", "0.5", "-2147483649", "2147483648", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "1e308", "-1e308", "1e400", "1e-400", "123456789012345678901234567890", "1E2", "4.9e-324", "18446744073709551616",
    ];

    public static readonly Func<JsonNode?>[] EdgeArrays =
    [
        () => new JsonArray(), () => new JsonArray((JsonNode?)null), () => new JsonArray(new JsonArray()),
        () => new JsonArray(1, "a", null, new JsonObject()), () => new JsonArray([.. Enumerable.Repeat<JsonNode?>("x", 2000).Select(v => v!.DeepClone())]),
        () => new JsonArray("", ""), () => new JsonArray("a", "a"),
    ];

    public static readonly Func<JsonNode?>[] EdgeObjects =
    [
        () => new JsonObject(), () => new JsonObject { [""] = 1 }, () => new JsonObject { ["a"] = new JsonObject { ["b"] = new JsonObject { ["c"] = new JsonObject() } } },
        () => new JsonObject { ["__proto__"] = new JsonObject { ["x"] = 1 } }, () => new JsonObject { ["null"] = null },
    ];

    public static readonly byte[][] InvalidUtf8 =
        [[0xC3, 0x28], [0xFF, 0xFE], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0x80], [0x61, 0xE2, 0x82]];

    public static readonly string[] ExtraFieldNames =
    [
        "zzFuzz", "isAdmin", "is_admin", "id", "createdAt", "created_by", "projectId", "role", "passwordHash", "password_hash", "status",
        "__proto__", "constructor", "", " ", "customFields", "$type",
    ];

    public static readonly Func<Random, string, string>[] Malformed =
    [
        (r, valid) => valid[..r.Next(1, Math.Max(2, valid.Length))],
        (_, valid) => valid + ",",
        (_, valid) => valid + "}",
        (_, valid) => valid + " garbage",
        (_, valid) => "/* comment */" + valid,
        (_, valid) => valid.Replace('"', '\''),
        (_, _) => "{",
        (_, _) => "{\"a\":}",
        (_, _) => "{\"a\" 1}",
        (_, _) => "{\"a\":1,}",
        (_, _) => "{a:1}",
        (_, _) => "[1,2",
        (_, _) => "nul",
        (_, _) => "NaN",
        (_, _) => "{\"a\":01}",
        (_, _) => "{\"a\":\"\\x\"}",
        (_, _) => "{\"a\":\"\\u12\"}",
        (_, _) => "\"unterminated",
        (_, _) => "\u0000",
    ];

    /// <summary>MessagePack that is not a JSON body: cut short, unused codes, what JSON cannot hold, lying counts, deep nesting, invalid UTF-8.</summary>
    public static readonly Func<Random, byte[], byte[]>[] MalformedMessagePack =
    [
        (r, valid) => valid[..r.Next(0, Math.Max(1, valid.Length - 1))],
        (_, valid) => [.. valid, 0x01],
        (_, _) => [0xC1],
        (_, _) => [0x81, 0xA1, (byte)'a', 0xC4, 0x03, 1, 2, 3],
        (_, _) => [0x81, 0xA1, (byte)'a', 0xD4, 0x07, 0x00],
        (_, _) => [0x81, 0xA1, (byte)'a', 0xCB, 0x7F, 0xF8, 0, 0, 0, 0, 0, 0],
        (_, _) => [0x81, 0x05, 0x01],
        (_, _) => [0xDD, 0xFF, 0xFF, 0xFF, 0xFF],
        (_, _) => [0xDF, 0x7F, 0xFF, 0xFF, 0xFF, 0xA1, (byte)'a'],
        (_, _) => [0x81, 0xA3, 0xED, 0xA0, 0x80, 0x01],
        (_, _) => [0x81, 0xA1, (byte)'a', 0xA2, 0xC3, 0x28],
        (_, _) => [.. Enumerable.Repeat((byte)0x91, 10_000), 0xC0],
        (_, _) => [],
    ];

    public static readonly string[] OtherShapes = ["null", "[]", "{}", "0", "\"text\"", "true", "[{}]", "[null]", "[[]]", "-1", "1e400"];

    public static readonly string[] DeepNesting =
    [
        new string('[', 10_000) + new string(']', 10_000),
        string.Concat(Enumerable.Repeat("{\"a\":", 1000)) + "1" + new string('}', 1000),
    ];

    public static readonly string[] ContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=fuzz", "application/octet-stream",
        "application/json; charset=utf-16", "application/json; charset=latin1", "application/merge-patch+json", "application/jsonx", "json",
        "*/*", "application/json;;;", "APPLICATION/JSON", "application/json; charset=\"", "text/json",
    ];

    /// <summary>Already percent-encoded: dot segments, encoded slashes and backslashes, control characters, invalid UTF-8, very long values.</summary>
    public static readonly string[] HostilePathValues =
    [
        "..", ".", "%2e%2e", "%2E%2E%2F..%2F", "%2f", "a%2Fb", "..%2F..%2Fetc%2Fpasswd", "%5C..%5C", "%00", "a%00b", "%0A", "%0D%0Aset-cookie:%20x",
        "%1F", "%7F", "%FF", "%C0%AE%C0%AE", "%ED%A0%80", "%E2%80%AE", "%F0%9F%8E%AC", new string('a', 5000),
        string.Concat(Enumerable.Repeat("%C3%A9", 1000)), "%20", "%252e%252e", "%25", "~", "*", "null", "-1", "0", "%27%20OR%201%3D1--",
        "%7Bproject%7D", "CON", "a;b", "%3F", "%23", "%2e", "...",
    ];

    public static readonly string[] HostileQueryValues =
    [
        "", "-1", "0", "abc", "99999999999999999999", "1e3", "1.5", "%00", "%FF", "%ED%A0%80", "%F0%9F%8E%AC", "%0A", new string('q', 5000),
        "null", "true", "%27%20OR%201%3D1--", "%25", "%5B%5D", "%7B%7D", "2025-13-45", ",", "+", "%20", "%2e%2e%2f",
    ];

    /// <summary>Cursors are base64url JSON the server decodes: well-encoded ones holding what it never wrote, with the sort they claim.</summary>
    public static readonly (string Position, string Query)[] ForgedCursors =
    [
        ("\"\\u0000\"", ""), ("\"" + new string('x', 5000) + "\"", ""), ("\"\\ud800\"", ""), ("null", ""), ("[]", ""), ("{\"id\":5}", ""),
        ("{\"sort\":\"id\",\"order\":\"asc\",\"value\":null,\"id\":\"\\u0000\"}", ""),
        ("{\"sort\":\"priority\",\"order\":\"desc\",\"value\":\"2147483647\",\"id\":\"a\"}", "&sort=priority&order=desc"),
        ("{\"sort\":\"priority\",\"order\":\"asc\",\"value\":\"-2147483648\",\"id\":\"a\"}", "&sort=priority&order=asc"),
        ("{\"sort\":\"deadline\",\"order\":\"asc\",\"value\":\"9999-12-31T23:59:59.9999999Z\",\"id\":\"a\"}", "&sort=deadline&order=asc"),
        ("{\"sort\":\"updated_at\",\"order\":\"asc\",\"value\":\"0001-01-01T00:00:00Z\",\"id\":\"a\"}", "&sort=updated_at&order=asc"),
        ("{\"sort\":\"created_at\",\"order\":\"desc\",\"value\":\"2025-01-01T00:00:00+14:00\",\"id\":\"a\"}", "&sort=created_at&order=desc"),
        ("{\"sort\":\"deadline\",\"order\":\"desc\",\"value\":null,\"id\":\"" + new string('z', 3000) + "\"}", "&sort=deadline&order=desc"),
    ];

    public static readonly string[] UnknownQueries = ["?zzFuzz=1", "?page_sizes=3", "?include=everything", "?%FF=1", "?=1", "?&&&"];

    public static readonly string[] RequestIds =
    [
        "fuzz-req-1", "Fuzz.Req:2_3", new string('r', 128), new string('r', 129), "bad id with spaces", "<script>", "req_" + new string('x', 1000),
    ];

    public static readonly string[] BadTokens =
    [
        "Bearer garbage", "Bearer ", "Bearer", "Basic dXNlcjpwYXNz", "Bearer " + new string('a', 10_000), "Bearer a.b.c",
        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.AAAA",
    ];

    /// <summary>Values of the tus headers (<c>Upload-Length</c>, <c>Upload-Offset</c>, <c>Upload-Metadata</c>) no client should send.</summary>
    public static readonly string[] TusHeaderValues =
    [
        "-1", "", " ", "1e3", "0x10", "99999999999999999999", "9223372036854775807", "10, 10", "NaN",
        "filename", "filename !!!", "filename ZmlsZQ==,filename ZmlsZQ==", "filename ZmlsZS5leGU=", "filename AA==", "filename //79",
        "filename ZnV6ei50eHQ=,task_id Li4vLi4v", "filename ZnV6ei50eHQ=,project_id " + new string('A', 4000), ",,,", "filename  ZnV6ei50eHQ=  x",
    ];

    /// <summary>
    /// <c>Idempotency-Key</c> values (ASCII: the client refuses to send others): too long, empty, with
    /// spaces, and one key shared by every operation (a repeat of another request with it is 422, of
    /// the same one a replay).
    /// </summary>
    public static readonly string[] IdempotencyKeys =
    [
        "fuzz-shared-key", "", " ", "with space", "<script>", "a, b", new string('k', 255), new string('k', 256), new string('k', 10_000),
    ];

    public static readonly string[] Accepts = ["application/xml", "text/html", "*/*", "application/json;q=0", "garbage/", "image/png"];

    public static readonly (string Kind, Func<Random, Target, RawJson, JsonNode?> Value)[] FieldValues =
    [
        ("null", (_, _, _) => null),
        ("wrong type", (r, t, _) => r.Pick(WrongTypes(t.Type))()),
        ("huge string", (r, _, _) => string.Concat(Enumerable.Repeat(r.Pick(HugeUnits), HugeLength))),
        ("unicode string", (r, _, _) => r.Pick(UnicodeStrings)),
        ("lone surrogate", (r, _, raw) => raw.Token(r.Pick(LoneSurrogates))),
        ("control characters", (r, _, _) => r.Pick(ControlStrings)),
        ("blank string", (r, _, _) => r.Pick(BlankStrings)),
        ("hostile text", (r, _, _) => r.Pick(HostileText)),
        ("edge date", (r, _, _) => r.Pick(EdgeDates)),
        ("edge number", (r, _, raw) => raw.Token(r.Pick(EdgeNumbers))),
        ("edge array", (r, _, _) => r.Pick(EdgeArrays)()),
        ("edge object", (r, _, _) => r.Pick(EdgeObjects)()),
        ("invalid UTF-8", (r, _, raw) => raw.Token([(byte)'"', .. r.Pick(InvalidUtf8), (byte)'"'])),
    ];

    public static Func<JsonNode?>[] WrongTypes(string? type) => type switch
    {
        "string" => [() => 12345, () => true, () => new JsonArray(), () => new JsonObject()],
        "integer" or "number" => [() => "12", () => true, () => new JsonArray(), () => new JsonObject(), () => "1e3"],
        "boolean" => [() => "true", () => 1, () => new JsonArray(), () => "yes"],
        "array" => [() => "x", () => new JsonObject(), () => 1, () => true],
        "object" => [() => "x", () => new JsonArray(), () => 1, () => true],
        _ => [() => true, () => new JsonArray(), () => new JsonObject(), () => 12],
    };
}
