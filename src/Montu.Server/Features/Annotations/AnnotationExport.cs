using CsvHelper;
using Montu.Server.Features.Media;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Annotations;

/// <summary>
/// The notes export: one CSV row per note, streamed in the list's order. A cell that a
/// spreadsheet would run as a formula (starting with = + - @, tab or carriage return) is
/// written with a ' in front (OWASP's advice against CSV injection).
/// </summary>
public sealed class AnnotationExport(AnnotationQueries annotations)
{
    private static readonly string[] Header = ["media", "task", "version", "frame", "timecode", "author", "type", "status", "content", "replies"];

    private static readonly CsvWriterOptions Csv = new()
    {
        Injection = CsvInjection.Escape,
        InjectionCharacters = "=+-@\t\r",
        InjectionEscape = '\'',
    };

    public async Task WriteAsync(Stream body, AnnotationFilters filters, Infrastructure.Access.ReadableProjects readable, AnnotationSort sort, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(body, Csv, leaveOpen: true);
        csv.WriteHeader(Header);
        await foreach (var row in annotations.ExportAsync(filters, readable, sort, ct))
        {
            var metadata = StorageJson.Read<MediaMetadata>(row.MediaMetadata);
            csv.WriteField(row.MediaFileName);
            csv.WriteField(row.TaskId ?? "");
            csv.WriteField(row.MediaVersion ?? "");
            csv.WriteField(row.FrameNumber, "D");
            csv.WriteField(AnnotationFrames.Timecode(row.FrameNumber, row.FirstFrame, row.FrameRate, metadata.Timecode));
            csv.WriteField(row.AuthorEmail ?? row.Author);
            csv.WriteField(row.AnnotationType);
            csv.WriteField(row.Status);
            csv.WriteField(row.Content);
            csv.WriteField(row.ReplyCount, "D");
            await csv.EndRecordAsync(ct);
        }

        await csv.FlushAsync(ct);
    }
}
