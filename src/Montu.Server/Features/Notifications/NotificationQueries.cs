using System.Data.Common;
using System.Text.Json;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Notifications;

/// <summary>The SQL the notifications feature owns: <c>notifications</c> and <c>notification_preferences</c> (migration 0021).</summary>
public sealed class NotificationQueries(Db db)
{
    private const string Columns = "id, user_id, type, title, message, data, is_read, priority, project_id, created_at, expires_at";

    private const string ReadColumns = "id, user_id, type, title, message, CAST(data AS TEXT) AS data, is_read, priority, project_id, created_at, expires_at";

    /// <summary>Users with what they muted, for <see cref="Recipient"/>.</summary>
    private const string SelectRecipients = """
        SELECT u.id AS Id, u.email_key AS EmailKey, CAST(p.muted AS TEXT) AS Muted, CAST(p.muted_projects AS TEXT) AS MutedProjects
        FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id
        """;

    /// <summary>One multi-row insert, its parameters numbered, so it travels in one command with the change that caused it.</summary>
    public SqlStatement Insert(IReadOnlyList<NotificationRow> rows)
    {
        var args = new DynamicParameters();
        var values = new List<string>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var n = $"Notification{i}";
            args.Add(n + "Id", row.Id);
            args.Add(n + "UserId", row.UserId);
            args.Add(n + "Type", row.Type);
            args.Add(n + "Title", row.Title);
            args.Add(n + "Message", row.Message);
            args.Add(n + "Data", row.Data);
            args.Add(n + "IsRead", row.IsRead);
            args.Add(n + "Priority", row.Priority);
            args.Add(n + "ProjectId", row.ProjectId);
            args.Add(n + "CreatedAt", row.CreatedAt);
            args.Add(n + "ExpiresAt", row.ExpiresAt);
            values.Add($"(@{n}Id, @{n}UserId, @{n}Type, @{n}Title, @{n}Message, {db.Dialect.Json(n + "Data")}, @{n}IsRead, @{n}Priority, @{n}ProjectId, @{n}CreatedAt, @{n}ExpiresAt)");
        }

        return new SqlStatement($"INSERT INTO notifications ({Columns}) VALUES {string.Join(", ", values)}", args);
    }

    /// <summary>
    /// The users the names may mean (a task's artist rule: id, email, or the email's part before the
    /// <c>@</c>, in any case) who are enabled and can read <paramref name="projectId"/>, with what they muted.
    /// </summary>
    public async Task<IReadOnlyList<Recipient>> RecipientsAsync(DbTransaction tx, IReadOnlyCollection<string> names, string? projectId, CancellationToken ct)
    {
        var dialect = db.Dialect;
        var localPart = dialect.Engine == DbEngine.Postgres ? "split_part(u.email_key, '@', 1)" : "substr(u.email_key, 1, instr(u.email_key, '@') - 1)";
        var readable = projectId is null
            ? ""
            : "AND (u.is_admin OR EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = @projectId AND m.user_id = u.id))";
        var rows = await tx.Connection!.QueryAsync<Recipient>(new CommandDefinition($"""
            {SelectRecipients}
            WHERE NOT u.disabled
              AND ({dialect.In("lower(u.id)", "names")} OR {dialect.In("u.email_key", "names")} OR {dialect.In(localPart, "names")})
              {readable}
            """, new { names = names.ToArray(), projectId }, tx, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>The users of <paramref name="ids"/> that exist and are enabled, with what they muted.</summary>
    public async Task<IReadOnlyList<Recipient>> UsersAsync(DbTransaction tx, IReadOnlyCollection<string> ids, CancellationToken ct) =>
        (await tx.Connection!.QueryAsync<Recipient>(new CommandDefinition($"""
            {SelectRecipients}
            WHERE NOT u.disabled AND {db.Dialect.In("u.id", "ids")}
            """, new { ids = ids.ToArray() }, tx, cancellationToken: ct))).AsList();

    /// <summary>Which of <paramref name="userIds"/> are members of the project.</summary>
    public async Task<IReadOnlyList<string>> MembersAsync(DbTransaction tx, string projectId, IReadOnlyCollection<string> userIds, CancellationToken ct) =>
        (await tx.Connection!.QueryAsync<string>(new CommandDefinition(
            $"SELECT user_id FROM project_members WHERE project_id = @projectId AND {db.Dialect.In("user_id", "userIds")}",
            new { projectId, userIds = userIds.ToArray() }, tx, cancellationToken: ct))).AsList();

    /// <summary>The user's notification, unless it has expired: another user's is none.</summary>
    public Task<NotificationRow?> FindAsync(DbTransaction tx, string id, string userId, DateTime now, CancellationToken ct) =>
        tx.Connection!.QuerySingleOrDefaultAsync<NotificationRow>(new CommandDefinition(
            $"SELECT {ReadColumns} FROM notifications WHERE id = @id AND user_id = @userId AND expires_at > @now",
            new { id, userId, now }, tx, cancellationToken: ct));

    public static SqlStatement MarkRead(string id, bool isRead) =>
        new("UPDATE notifications SET is_read = @isRead WHERE id = @id", new { id, isRead });

    public static SqlStatement Delete(string id) => new("DELETE FROM notifications WHERE id = @id", new { id });

    /// <summary>Marks the user's unread notifications read, optionally of one type or project; returns how many.</summary>
    public Task<int> MarkAllReadAsync(DbTransaction tx, string userId, string? type, string? projectId, DateTime now, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition($"""
            UPDATE notifications SET is_read = @read
            WHERE user_id = @userId AND is_read = @unread AND expires_at > @now
              {(type is null ? "" : "AND type = @type")} {(projectId is null ? "" : "AND project_id = @projectId")}
            """, new { userId, type, projectId, now, read = true, unread = false }, tx, cancellationToken: ct));

    /// <summary>One page of the user's notifications, newest first, and the total matching; one row beyond the page says whether more follow.</summary>
    public async Task<(IReadOnlyList<NotificationRow> Items, long Total, bool HasMore)> ListAsync(
        string userId, NotificationFilters filters, DateTime now, PageRequest page, NotificationCursor? after, CancellationToken ct)
    {
        var args = new DynamicParameters(new { userId, now });
        var where = new List<string> { "user_id = @userId", "expires_at > @now" };
        void Add(string condition, string name, object? value)
        {
            if (value is not null)
            {
                where.Add(condition);
                args.Add(name, value);
            }
        }

        Add("is_read = @isRead", "isRead", filters.IsRead);
        Add("type = @type", "type", filters.Type);
        Add("priority = @priority", "priority", filters.Priority);
        Add("project_id = @projectId", "projectId", filters.ProjectId);
        var filter = string.Join(" AND ", where);
        if (after is not null)
        {
            where.Add("(created_at, id) < (@afterCreated, @afterId)");
            args.Add("afterCreated", after.CreatedAt);
            args.Add("afterId", after.Id);
        }

        args.Add("limit", page.PageSize + 1);
        args.Add("offset", after is null ? page.Offset : 0);
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM notifications WHERE {filter}", args, cancellationToken: ct));
        var rows = (await connection.QueryAsync<NotificationRow>(new CommandDefinition($"""
            SELECT {ReadColumns} FROM notifications WHERE {string.Join(" AND ", where)}
            ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset
            """, args, cancellationToken: ct))).AsList();
        return (rows.Take(page.PageSize).ToList(), total, rows.Count > page.PageSize);
    }

    /// <summary>The user's live notifications counted by type, priority and whether read.</summary>
    public async Task<IReadOnlyList<(string Type, string Priority, bool IsRead, long Count)>> CountsAsync(string userId, DateTime now, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<(string, string, bool, long)>(new CommandDefinition("""
            SELECT type, priority, is_read, COUNT(*) FROM notifications
            WHERE user_id = @userId AND expires_at > @now GROUP BY type, priority, is_read
            """, new { userId, now }, cancellationToken: ct))).AsList();
    }

    public async Task<NotificationPreferences> PreferencesAsync(string userId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(string Muted, string MutedProjects)?>(new CommandDefinition(
            "SELECT CAST(muted AS TEXT), CAST(muted_projects AS TEXT) FROM notification_preferences WHERE user_id = @userId",
            new { userId }, cancellationToken: ct));
        return row is { } set
            ? new NotificationPreferences(StorageJson.Read<List<string>>(set.Muted), StorageJson.Read<List<string>>(set.MutedProjects))
            : new NotificationPreferences([], []);
    }

    public SqlStatement SavePreferences(string userId, NotificationPreferences preferences, DateTime now) => new($"""
        INSERT INTO notification_preferences (user_id, muted, muted_projects, updated_at)
        VALUES (@userId, {db.Dialect.Json("muted")}, {db.Dialect.Json("mutedProjects")}, @now)
        ON CONFLICT (user_id) DO UPDATE SET muted = excluded.muted, muted_projects = excluded.muted_projects, updated_at = excluded.updated_at
        """, new { userId, muted = StorageJson.Write(preferences.Muted), mutedProjects = StorageJson.Write(preferences.MutedProjects), now });

    /// <summary>Removes notifications past their expiry, a bounded number at a time; returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(DateTime now, int limit, CancellationToken ct) =>
        await db.InTransactionAsync(tx => tx.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM notifications WHERE id IN (SELECT id FROM notifications WHERE expires_at <= @now LIMIT @limit)",
            new { now, limit }, tx, cancellationToken: ct)), ct);
}

/// <summary>A user a notification may go to, with their muted types and projects as stored (JSON arrays, or null when never set).</summary>
public sealed class Recipient
{
    public string Id { get; set; } = "";

    public string EmailKey { get; set; } = "";

    public string? Muted { get; set; }

    public string? MutedProjects { get; set; }

    /// <summary>The task-artist rule: the name is the user's id, email, or email before the <c>@</c>, in any case.</summary>
    public bool IsNamed(string name) =>
        string.Equals(Id, name, StringComparison.OrdinalIgnoreCase)
        || EmailKey == name
        || (EmailKey.IndexOf('@', StringComparison.Ordinal) is var at && at >= 0 && EmailKey.AsSpan(0, at).SequenceEqual(name));

    public bool HasMuted(string type, string? projectId) =>
        (Muted is not null && StorageJson.Read<List<string>>(Muted).Contains(type))
        || (projectId is not null && MutedProjects is not null && StorageJson.Read<List<string>>(MutedProjects).Contains(projectId));
}

/// <summary>A notification as stored: <c>data</c> as JSON text.</summary>
public sealed class NotificationRow
{
    public string Id { get; set; } = "";

    public string UserId { get; set; } = "";

    public string Type { get; set; } = "";

    public string Title { get; set; } = "";

    public string Message { get; set; } = "";

    public string Data { get; set; } = "{}";

    public bool IsRead { get; set; }

    public string Priority { get; set; } = "";

    public string? ProjectId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public Notification ToNotification() => new(Id, UserId, Type, Title, Message, JsonSerializer.Deserialize<JsonElement>(Data), IsRead, Priority,
        DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(ExpiresAt, DateTimeKind.Utc));
}

/// <summary>The position of the last notification sent: its creation time and id.</summary>
public sealed record NotificationCursor(DateTime CreatedAt, string Id);
