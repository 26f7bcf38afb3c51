using Montu.Server.Data;

namespace Montu.Server.Features.Tasks;

/// <summary>
/// Tasks as <c>GET /tasks/{id}</c> answers them, kept at their project's event-log head like the
/// lists (docs/decisions/0007, 0009): a pipeline script polling a task costs no query while its
/// project stands still. Bounded by entry count.
/// </summary>
public sealed class TaskReads(TaskQueries tasks, EventLogHead head)
{
    private readonly VersionedCache<TaskJson?> _tasks = new(maxEntries: 10_000);

    public async Task<TaskJson?> FindAsync(string id, CancellationToken ct)
    {
        if (await tasks.ProjectIdOfAsync(id, ct) is not { } projectId)
        {
            return null;
        }

        var seq = await head.CurrentAsync(projectId, ct);
        return await _tasks.GetAsync(id, seq, () => tasks.FindAsync(id, CancellationToken.None), ct);
    }
}
