namespace Montu.Server.Features.TaskImport;

/// <summary>Configuration section <c>Imports</c> (<c>Imports__MaxRows</c>, <c>Imports__BatchSize</c>).</summary>
public sealed class ImportSettings
{
    public const string Section = "Imports";

    /// <summary>A file with more data rows is refused (413) before anything is written.</summary>
    public int MaxRows { get; set; } = 200_000;

    /// <summary>
    /// Rows written per transaction (one event of each kind per batch). A non-atomic import commits
    /// batch by batch, so other writers wait at most one batch, and a background import's checkpoint
    /// moves on with each.
    /// </summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Background imports run at once on one instance.</summary>
    public int Concurrency { get; set; } = 1;
}
