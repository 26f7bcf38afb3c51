using System.Text;
using static Montu.Server.Tests.Fuzz.HostileValues;

namespace Montu.Server.Tests.Fuzz;

/// <summary>One part of a multipart body as written on the wire: its header lines and its bytes.</summary>
public sealed record FormPart(string Headers, byte[] Content)
{
    public static FormPart Field(string name, string value) => new($"Content-Disposition: form-data; name=\"{name}\"", Encoding.UTF8.GetBytes(value));

    public static FormPart File(string fileName, byte[] content) =>
        new($"Content-Disposition: form-data; name=\"file\"; filename=\"{fileName}\"\r\nContent-Type: application/octet-stream", content);
}

/// <summary>
/// The mutations of the multipart routes (the media upload, the CSV imports): hostile values in
/// each form field, hostile file names, content that lies about its type, parts missing, repeated
/// or unknown, and multipart bodies that are malformed. Each part is written by hand, so a name or
/// value may hold what no client library sends.
/// </summary>
public static class MultipartMutations
{
    public const string Boundary = "fuzz-boundary";

    private static readonly string[] UploadFieldNames = ["task_id", "project_id", "version", "description", "tags"];

    private static readonly string[] ImportFieldNames = ["project_id", "naming_pattern", "validate_only", "mode", "atomic", "preview_rows"];

    private static readonly string[] Imports = ["ImportTasksCsv", "ImportTasksCsvAsync"];

    /// <summary>Whether the operation takes a multipart form, and so these mutations.</summary>
    public static bool Takes(ApiOperation operation) => operation.Id == "UploadMedia" || Imports.Contains(operation.Id);

    private static readonly string[] HostileFileNames =
    [
        "../../etc/passwd.txt", "..\\..\\boot.ini.txt", "/abs/path/notes.txt", "notes.txt\0.png", "a\r\nb.txt", "..", ".", " .txt", "%2e%2e%2fx.txt",
        "\u202Etxt.exe", "CON.txt", "notes.TXT", "notes.txt.", "🎬.txt", new string('n', 1000) + ".txt", "noextension", "x.exe", "x.png",
    ];

    private static readonly string[] Versions = ["0", "-1", "v", "v0000001", "1e3", "999999999999", "v01.5", " 3 "];

    public static IEnumerable<Mutation> For(ValidRequest valid)
    {
        var import = Imports.Contains(valid.Operation.Id);
        var fieldNames = import ? ImportFieldNames : UploadFieldNames;
        yield return new("hostile field value", r =>
        {
            var name = r.Pick(fieldNames);
            var value = r.Pick(r.Pick<string[]>([HostileText, UnicodeStrings, ControlStrings, BlankStrings, Versions]));
            return Upload(valid, $"{name} = {FuzzRequest.Shorten(value, 40)}", [.. Without(valid, name), FormPart.Field(name, value)]);
        });
        yield return new("huge field value", r =>
        {
            var name = r.Pick(fieldNames);
            return Upload(valid, $"huge {name}", [.. Without(valid, name), FormPart.Field(name, new string('x', r.Next(1_000, 300_000)))]);
        });
        yield return new("hostile file name", r =>
        {
            var name = r.Pick(HostileFileNames);
            return Upload(valid, $"file name {FuzzRequest.Shorten(name, 40)}", [.. Without(valid, "file"), FormPart.File(name, "fuzz"u8.ToArray())]);
        });
        yield return new("content that lies about its type", r =>
        {
            var name = r.Pick<string>(["still.png", "plate.exr", "clip.mov", "take.wav", "shot.jpg", "scan.dpx"]);
            return Upload(valid, $"text sent as {name}", [.. Without(valid, "file"), FormPart.File(name, "not what it says"u8.ToArray())]);
        });
        yield return new("missing part", r =>
        {
            var name = r.Pick<string>(["file", import ? "project_id" : "task_id"]);
            return Upload(valid, $"without {name}", [.. Without(valid, name)]);
        });
        yield return new("repeated part", r =>
        {
            var part = r.Pick(Parts(valid));
            return Upload(valid, "repeated part", [.. Parts(valid), part]);
        });
        yield return new("unknown part", r =>
        {
            var name = r.Pick(ExtraFieldNames);
            return Upload(valid, $"unknown part {FuzzRequest.Shorten(name, 40)}", [FormPart.Field(name, "x"), .. Parts(valid)]);
        });
        yield return new("part without a name", _ => Upload(valid, "part without Content-Disposition", [new FormPart("Content-Type: text/plain", "x"u8.ToArray()), .. Parts(valid)]));
        yield return new("malformed multipart", r =>
        {
            var whole = Encoding.UTF8.GetString(Body(Parts(valid)));
            var (label, text) = r.Pick<(string, string)>(
            [
                ("no closing boundary", whole[..whole.LastIndexOf("--" + Boundary, StringComparison.Ordinal)]),
                ("cut in a header", whole[..(whole.IndexOf("Content-Disposition", StringComparison.Ordinal) + 12)]),
                ("another boundary", whole.Replace(Boundary, "other-boundary", StringComparison.Ordinal)),
                ("no blank line after headers", whole.Replace("\r\n\r\n", "\r\n", StringComparison.Ordinal)),
                ("bare LF line ends", whole.Replace("\r\n", "\n", StringComparison.Ordinal)),
                ("only the preamble", "preamble without parts"),
            ]);
            return valid.ToRequest(label) with { Body = Encoding.UTF8.GetBytes(text) };
        });
        yield return new("boundary missing from the type", _ => valid.ToRequest("multipart without boundary") with { ContentType = "multipart/form-data" });
        yield return new("wrong content type", r =>
        {
            var contentType = r.Pick(ContentTypes);
            return valid.ToRequest($"Content-Type {contentType}") with { ContentType = contentType };
        });
        yield return new("empty body", _ => valid.ToRequest("empty body") with { Body = [] });
    }

    /// <summary>
    /// The valid request's parts: for an upload, the assigned task and a small text file; for an
    /// import, the project and the world's CSV.
    /// </summary>
    public static List<FormPart> Parts(ValidRequest valid) => Imports.Contains(valid.Operation.Id)
        ? [FormPart.Field("project_id", valid.World.ProjectId), FormPart.File("tasks.csv", FuzzWorld.ImportFile)]
        : [FormPart.Field("task_id", valid.World.AssignedTaskId), FormPart.File("fuzz.txt", "fuzz"u8.ToArray())];

    public static byte[] Body(IEnumerable<FormPart> parts)
    {
        using var body = new MemoryStream();
        foreach (var part in parts)
        {
            body.Write(Encoding.UTF8.GetBytes($"--{Boundary}\r\n{part.Headers}\r\n\r\n"));
            body.Write(part.Content);
            body.Write("\r\n"u8);
        }

        body.Write(Encoding.UTF8.GetBytes($"--{Boundary}--\r\n"));
        return body.ToArray();
    }

    private static IEnumerable<FormPart> Without(ValidRequest valid, string name) =>
        Parts(valid).Where(p => !p.Headers.Contains($"name=\"{name}\"", StringComparison.Ordinal));

    private static FuzzRequest Upload(ValidRequest valid, string label, IEnumerable<FormPart> parts) =>
        valid.ToRequest(label) with { Body = Body(parts) };
}
