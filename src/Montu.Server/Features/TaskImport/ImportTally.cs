using Montu.Server.Features.Tasks;

namespace Montu.Server.Features.TaskImport;

/// <summary>
/// The running totals of one import. A batch whose transaction fails is taken back out
/// (<see cref="Mark"/>, <see cref="Restore"/>), so the totals always match what is committed.
/// </summary>
public sealed class ImportTally
{
    /// <summary>Row errors kept for the report; <see cref="Invalid"/> counts every invalid row.</summary>
    public const int MaxErrors = 1000;

    public int Processed { get; set; }

    public int Invalid { get; set; }

    public int Created { get; set; }

    public int Updated { get; set; }

    public int Skipped { get; set; }

    public List<ImportRowError> Errors { get; init; } = [];

    public List<TaskItem> Preview { get; init; } = [];

    /// <summary>The task id each row so far resolved to, with the first row giving it.</summary>
    public Dictionary<string, int> SeenIds { get; } = new(StringComparer.Ordinal);

    public ImportReport Report(int totalRows) =>
        new(totalRows, totalRows - Invalid, Invalid, Created, Updated, Skipped, Errors, Preview);

    public void AddError(ImportRowError error)
    {
        if (Errors.Count < MaxErrors)
        {
            Errors.Add(error);
        }
    }

    public TallyMark Mark() => new(Processed, Invalid, Created, Updated, Skipped, Errors.Count, Preview.Count, []);

    /// <summary>Puts the totals back as they were at <paramref name="mark"/>.</summary>
    public void Restore(TallyMark mark)
    {
        (Processed, Invalid, Created, Updated, Skipped) = (mark.Processed, mark.Invalid, mark.Created, mark.Updated, mark.Skipped);
        Errors.RemoveRange(mark.Errors, Errors.Count - mark.Errors);
        Preview.RemoveRange(mark.Preview, Preview.Count - mark.Preview);
        foreach (var id in mark.IdsAdded)
        {
            SeenIds.Remove(id);
        }
    }
}

/// <summary>The totals at the start of a batch, and the ids the batch added.</summary>
public sealed record TallyMark(int Processed, int Invalid, int Created, int Updated, int Skipped, int Errors, int Preview, List<string> IdsAdded);
