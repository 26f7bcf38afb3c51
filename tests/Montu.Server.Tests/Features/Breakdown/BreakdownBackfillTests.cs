using System.Data.Common;
using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Montu.Server.Tests.Features.Breakdown;

/// <summary>
/// A database made by migrations 0001-0023 (before breakdown entities), holding tasks of two
/// projects whose names collide; the server's start applies 0024, which makes their entities.
/// </summary>
public sealed class BreakdownBackfillApp : TestApp
{
    protected override async Task PrepareDatabaseAsync()
    {
        await using DbConnection connection = OnPostgres ? new NpgsqlConnection(DatabaseConnection) : new SqliteConnection(DatabaseConnection);
        await connection.OpenAsync();
        var folder = OnPostgres ? "migrations/postgres/" : "migrations/sqlite/";
        var assembly = typeof(Program).Assembly;
        await connection.ExecuteAsync("CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(folder, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var version = Path.GetFileNameWithoutExtension(name);
            if (string.CompareOrdinal(version, "0024") >= 0)
            {
                continue;
            }

            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            await connection.ExecuteAsync(await reader.ReadToEndAsync());
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (@version, '2026-01-01T00:00:00Z')", new { version });
        }

        foreach (var project in new[] { "OLD", "NEW" })
        {
            await connection.ExecuteAsync("""
                INSERT INTO projects (id, name, status, drive_mapping, path_segments, templates, filename_patterns, task_types, milestones,
                    priority_levels, task_statuses, created_at, updated_at)
                VALUES (@project, @project, 'active', '{}', '{}', '{}', '{}', '["lighting","comp","modeling"]', '[]',
                    '["low","medium","high"]', '["not_started","in_progress","approved"]', @at, @at)
                """, new { project, at = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
        }

        // OLD's tasks come first, so OLD keeps the plain ids; NEW shares ep01/sq010/sh020 and the asset "Hero Ship".
        var tasks = new (string Id, string Project, string Type, string? Episode, string? Sequence, string? Shot, string? Asset, string Task, string Status, int Minute)[]
        {
            ("ep01_sq010_sh020_lighting", "OLD", "shot", "EP01", "SQ010", "SH020", null, "lighting", "not_started", 1),
            ("ep01_sq010_sh020_comp", "OLD", "shot", "EP01", "SQ010", "SH020", null, "comp", "archived", 2),
            ("ep01_sq010_sh010_comp", "OLD", "shot", "EP01", "SQ010", "SH010", null, "comp", "not_started", 3),
            ("hero_ship_modeling", "OLD", "asset", null, null, null, "Hero Ship", "modeling", "not_started", 4),
            ("new_ep01_sq010_sh020_lighting", "NEW", "shot", "ep01", "sq010", "sh020", null, "lighting", "in_progress", 5),
            ("new_hero_ship_modeling", "NEW", "asset", null, null, null, "hero ship!", "modeling", "not_started", 6),
        };
        foreach (var t in tasks)
        {
            await connection.ExecuteAsync("""
                INSERT INTO tasks (id, project_id, type, episode, sequence, shot, asset, task, status, priority, priority_rank,
                    episode_clean, sequence_clean, shot_clean, search_text, created_at, updated_at)
                VALUES (@Id, @Project, @Type, @Episode, @Sequence, @Shot, @Asset, @Task, @Status, 'medium', 1,
                    lower(@Episode), lower(@Sequence), lower(@Shot), @Id, @At, @At)
                """, new { t.Id, t.Project, t.Type, t.Episode, t.Sequence, t.Shot, t.Asset, t.Task, t.Status, At = new DateTime(2026, 1, 1, 0, t.Minute, 0, DateTimeKind.Utc) });
        }
    }
}

public sealed class BreakdownBackfillTests(BreakdownBackfillApp app) : IClassFixture<BreakdownBackfillApp>
{
    private async Task<JsonElement> List(string collection, string project) =>
        await (await app.Client.GetAsync($"/api/v1/{collection}?project_id={project}")).Expect(HttpStatusCode.OK);

    [Fact]
    public async Task Migration_0024_makes_an_entity_for_every_name_with_the_project_code_in_front_on_a_collision()
    {
        var oldShots = (await List("shots", "OLD")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["ep01_sq010_sh010", "ep01_sq010_sh020"], oldShots.Select(s => s.Str("id")));
        Assert.Equal([1, 2], oldShots.Select(s => s.GetProperty("cutOrder").GetInt32()));
        Assert.Equal([1, 1], oldShots.Select(s => s.GetProperty("taskCount").GetInt32()));
        Assert.Equal("SH020", oldShots[1].Str("shot"));
        Assert.Equal(["new_ep01_sq010_sh020"], (await List("shots", "NEW")).Ids());
        Assert.Equal(["ep01_sq010"], (await List("sequences", "OLD")).Ids());
        Assert.Equal(2, (await List("sequences", "OLD")).GetProperty("items")[0].GetProperty("shotCount").GetInt32());
        Assert.Equal(["new_ep01_sq010"], (await List("sequences", "NEW")).Ids());
        Assert.Equal(["ep01"], (await List("episodes", "OLD")).Ids());
        Assert.Equal(["new_ep01"], (await List("episodes", "NEW")).Ids());
        Assert.Equal(["hero_ship"], (await List("assets", "OLD")).Ids());
        var newAsset = (await List("assets", "NEW")).GetProperty("items")[0];
        Assert.Equal(("new_hero_ship", "hero ship!", 1), (newAsset.Str("id"), newAsset.Str("name"), newAsset.GetProperty("taskCount").GetInt32()));

        // A task created after the migration finds the backfilled asset by its clean name rather than making another.
        await app.Client.CreateTask(TaskBuilders.AssetTask("NEW", "Hero Ship", "comp"));
        Assert.Equal(2, (await List("assets", "NEW")).GetProperty("items")[0].GetProperty("taskCount").GetInt32());
    }
}
