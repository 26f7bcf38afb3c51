using CsvHelper;
using Montu.Server.Features.Media;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Annotations;

/// <summary>
/// The notes export: one CSV row per note, streamed in the order given. A cell that a
/// spreadsheet would run as a formula (starting with = + - @, tab or carriage return) is
/// written with a ' in front (OWASP's advice against CSV injection). Every notes CSV is written
/// here: the list's (<c>GET /annotations/export.csv</c>) and a playlist's, which adds each
/// note's item first.
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

    public Task WriteAsync(Stream body, AnnotationFilters filters, ReadableProjects readable, AnnotationSort sort, CancellationToken ct) =>
        WriteAsync(body, annotations.ExportAsync(filters, readable, sort, ct), withItem: false, ct);

    /// <summary>Writes <paramref name="rows"/>; with <paramref name="withItem"/>, an <c>item</c> column (each row's <see cref="ExportedAnnotation.Item"/>) comes first.</summary>
    public static async Task WriteAsync(Stream body, IAsyncEnumerable<ExportedAnnotation> rows, bool withItem, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(body, Csv, leaveOpen: true);
        csv.WriteHeader(withItem ? ["item", .. Header] : Header);
        await foreach (var row in rows.WithCancellation(ct))
        {
            var metadata = StorageJson.Read<MediaMetadata>(row.MediaMetadata);
            if (withItem)
            {
                csv.WriteField(row.Item, "D");
            }

            csv.WriteField(row.MediaFileName);
            csv.WriteField(row.TaskId ?? "");
            csv.WriteField(row.MediaVersion ?? "");
            csv.WriteField(row.FrameNumber, "D");
            csv.WriteField(AnnotationFrames.Timecode(row.FrameNumber, row.FirstFrame, row.FrameRate, metadata.Timecode));
            csv.WriteField(row.AuthorEmail ?? (row.GuestName is { } guest ? $"{guest} (guest)" : row.Author));
            csv.WriteField(row.AnnotationType);
            csv.WriteField(row.Status);
            csv.WriteField(row.Content);
            csv.WriteField(row.ReplyCount, "D");
            await csv.EndRecordAsync(ct);
        }

        await csv.FlushAsync(ct);
    }
}
