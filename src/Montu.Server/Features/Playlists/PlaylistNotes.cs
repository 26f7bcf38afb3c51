using System.Runtime.CompilerServices;
using Montu.Server.Data;
using Montu.Server.Features.Annotations;
using Montu.Server.Features.Media;
using Montu.Server.Infrastructure.Access;

namespace Montu.Server.Features.Playlists;

/// <summary>
/// <c>GET /playlists/{id}/notes.csv</c>: the notes that are not archived on each version the
/// playlist shows (a followLatest item's newest), item by item in playlist order, each item's as
/// the notes export orders them (by frame, whole-media notes first, then creation), written by
/// the notes export's writer with the item's 1-based position first.
/// </summary>
public sealed class PlaylistNotes(Db db, PlaylistQueries playlists, PlaylistReader reader, AnnotationQueries annotations)
{
    private static readonly AnnotationSort ByFrame = new(AnnotationSort.Frame);

    public async Task WriteAsync(Stream body, string playlistId, CancellationToken ct)
    {
        IReadOnlyList<MediaRow?> shown;
        await using (var connection = await db.OpenAsync(ct))
        {
            var items = await playlists.ItemsAsync(connection, null, playlistId, ct);
            var versions = await reader.ShownAsync(connection, null, items, ct);
            shown = items.Select(i => versions[i.Id]).ToList();
        }

        await AnnotationExport.WriteAsync(body, Rows(shown, ct), withItem: true, ct);
    }

    private async IAsyncEnumerable<ExportedAnnotation> Rows(IReadOnlyList<MediaRow?> shown, [EnumeratorCancellation] CancellationToken ct)
    {
        for (var i = 0; i < shown.Count; i++)
        {
            if (shown[i] is not { } version)
            {
                continue;
            }

            var filters = new AnnotationFilters { MediaId = version.Id, Status = AnnotationListing.NotArchived };
            await foreach (var row in annotations.ExportAsync(filters, ReadableProjects.Everything, ByFrame, ct))
            {
                row.Item = i + 1;
                yield return row;
            }
        }
    }
}
