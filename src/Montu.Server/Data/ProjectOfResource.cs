using System.Collections.Concurrent;
using Dapper;

namespace Montu.Server.Data;

/// <summary>
/// The project a resource (a task, a media version, a note, a playlist) belongs to, for access
/// checks; null when there is no such resource. A resource never changes project, so the answer is
/// remembered, up to a bound, since ids are unbounded.
/// </summary>
public sealed class ProjectOfResource(Db db, string table)
{
    private const int MaxRemembered = 200_000;
    private readonly ConcurrentDictionary<string, string> _remembered = new(StringComparer.Ordinal);

    public async Task<string?> LookUpAsync(string id, CancellationToken ct)
    {
        if (_remembered.TryGetValue(id, out var known))
        {
            return known;
        }

        await using var connection = await db.OpenAsync(ct);
        var projectId = await connection.ExecuteScalarAsync<string?>(new CommandDefinition($"SELECT project_id FROM {table} WHERE id = @id", new { id }, cancellationToken: ct));
        if (projectId is not null)
        {
            if (_remembered.Count >= MaxRemembered)
            {
                _remembered.Clear();
            }

            _remembered[id] = projectId;
        }

        return projectId;
    }
}
