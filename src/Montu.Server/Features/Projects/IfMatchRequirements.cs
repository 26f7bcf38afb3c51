using Montu.Server.Data;

namespace Montu.Server.Features.Projects;

/// <summary>
/// Whether a project's <c>requireIfMatch</c> is on, asked before every conditional write: kept at
/// the project's event-log head like the other figures derived from it (docs/decisions/0007), so
/// asking costs no query while the project stands still.
/// </summary>
public sealed class IfMatchRequirements(ProjectQueries projects, EventLogHead head)
{
    private readonly VersionedCache<bool> _required = new(maxEntries: 10_000);

    public async Task<bool> AppliesToAsync(string projectId, CancellationToken ct)
    {
        var seq = await head.CurrentAsync(projectId, ct);
        return await _required.GetAsync(projectId, seq,
            async () => (await projects.FindAsync(projectId, CancellationToken.None))?.RequireIfMatch == true, ct);
    }
}
