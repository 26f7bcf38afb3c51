using System.Data.Common;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Users;

/// <summary>The SQL of project membership.</summary>
public sealed class MemberQueries(Db db)
{
    private const string Select = """
        SELECT m.user_id, u.email, u.email_key, u.display_name, m.role, u.disabled, m.created_at, m.updated_at
        FROM project_members m JOIN users u ON u.id = m.user_id
        """;

    /// <summary>Members ordered by email; a cursor is the last email key sent.</summary>
    public async Task<(IReadOnlyList<MemberRow> Items, long Total)> ListAsync(string projectId, PageRequest page, string? afterEmailKey, CancellationToken ct)
    {
        var keyset = afterEmailKey is null ? "" : "AND u.email_key > @after";
        var args = new { projectId, after = afterEmailKey, limit = page.PageSize, offset = afterEmailKey is null ? page.Offset : 0 };
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM project_members WHERE project_id = @projectId", args, cancellationToken: ct));
        var rows = await connection.QueryAsync<MemberRow>(new CommandDefinition(
            $"{Select} WHERE m.project_id = @projectId {keyset} ORDER BY u.email_key LIMIT @limit OFFSET @offset", args, cancellationToken: ct));
        return (rows.ToList(), total);
    }

    public Task<MemberRow?> FindAsync(DbTransaction tx, string projectId, string userId, CancellationToken ct) =>
        tx.Connection!.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(
            $"{Select} WHERE m.project_id = @projectId AND m.user_id = @userId", new { projectId, userId }, tx, cancellationToken: ct));

    /// <summary>The users named by id or email, with their current role in the project if any.</summary>
    public async Task<IReadOnlyList<Candidate>> CandidatesAsync(
        DbTransaction tx, string projectId, IReadOnlyCollection<string> ids, IReadOnlyCollection<string> emailKeys, CancellationToken ct) =>
        (await tx.Connection!.QueryAsync<Candidate>(new CommandDefinition($"""
            SELECT u.id, u.email_key, u.email, u.display_name, u.disabled, m.role
            FROM users u LEFT JOIN project_members m ON m.user_id = u.id AND m.project_id = @projectId
            WHERE {db.Dialect.In("u.id", "ids")} OR {db.Dialect.In("u.email_key", "emailKeys")}
            """, new { projectId, ids = ids.ToArray(), emailKeys = emailKeys.ToArray() }, tx, cancellationToken: ct))).ToList();

    public Task InsertAsync(DbTransaction tx, string projectId, string userId, string role, DateTime now, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition("""
            INSERT INTO project_members (project_id, user_id, role, created_at, updated_at) VALUES (@projectId, @userId, @role, @now, @now)
            """, new { projectId, userId, role, now }, tx, cancellationToken: ct));

    public Task UpdateRoleAsync(DbTransaction tx, string projectId, string userId, string role, DateTime now, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE project_members SET role = @role, updated_at = @now WHERE project_id = @projectId AND user_id = @userId",
            new { projectId, userId, role, now }, tx, cancellationToken: ct));

    public Task DeleteAsync(DbTransaction tx, string projectId, string userId, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM project_members WHERE project_id = @projectId AND user_id = @userId", new { projectId, userId }, tx, cancellationToken: ct));

    /// <summary>A user someone asked to add, and their role in the project if they are a member already.</summary>
    public sealed class Candidate
    {
        public string Id { get; init; } = "";

        public string EmailKey { get; init; } = "";

        public string Email { get; init; } = "";

        public string DisplayName { get; init; } = "";

        public bool Disabled { get; init; }

        public string? Role { get; init; }
    }
}

/// <summary>A row of <c>project_members</c> joined with its user.</summary>
public sealed class MemberRow
{
    public string UserId { get; init; } = "";

    public string Email { get; init; } = "";

    public string EmailKey { get; init; } = "";

    public string DisplayName { get; init; } = "";

    public string Role { get; init; } = "";

    public bool Disabled { get; init; }

    public DateTime CreatedAt { get; init => field = DateTime.SpecifyKind(value, DateTimeKind.Utc); }

    public DateTime UpdatedAt { get; init => field = DateTime.SpecifyKind(value, DateTimeKind.Utc); }

    public ProjectMember ToMember() =>
        new(UserId, Email, DisplayName, Role, ProjectRoles.SpecPermissions(Role), Disabled, CreatedAt, UpdatedAt);
}
