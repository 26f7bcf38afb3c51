using System.Data.Common;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Users;

/// <summary>A row of <c>users</c>. It holds the password hash, so it is never returned to a client: see <see cref="ToUser"/>.</summary>
public sealed class UserRow
{
    public string Id { get; set; } = "";

    public string Email { get; set; } = "";

    public string EmailKey { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string? PasswordHash { get; set; }

    public string? Department { get; set; }

    public string? ProfileRole { get; set; }

    public string? AvatarUrl { get; set; }

    public bool IsAdmin { get; set; }

    public bool Disabled { get; set; }

    // SQLite hands timestamps back without a kind; PostgreSQL needs Utc to write timestamptz.
    public DateTime? TokensNotBefore { get; set => field = Utc(value); }

    public DateTime? LastLogin { get; set => field = Utc(value); }

    public DateTime CreatedAt { get; set => field = Utc(value)!.Value; }

    public DateTime UpdatedAt { get; set => field = Utc(value)!.Value; }

    public UserProfile Profile
    {
        get => new(Department, ProfileRole, AvatarUrl);
        set => (Department, ProfileRole, AvatarUrl) = (value.Department, value.Role, value.AvatarUrl);
    }

    public User ToUser() => new(Id, Email, DisplayName, IsAdmin, Disabled, Profile, LastLogin, CreatedAt, UpdatedAt);

    public UserRow Copy() => (UserRow)MemberwiseClone();

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;
}

/// <summary>The SQL the users feature owns.</summary>
public sealed class UserQueries(Db db)
{
    private const string Columns = """
        id, email, email_key, display_name, password_hash, department, profile_role, avatar_url,
        is_admin, disabled, tokens_not_before, last_login, created_at, updated_at
        """;

    public Task<UserRow?> FindAsync(DbTransaction transaction, string id, CancellationToken ct) =>
        transaction.Connection!.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE id = @id", new { id }, transaction, cancellationToken: ct));

    public async Task<UserRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<UserRow?> FindByEmailAsync(string email, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE email_key = @key", new { key = UserRules.EmailKey(email) }, cancellationToken: ct));
    }

    public async Task<bool> AnyAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM users", cancellationToken: ct)) > 0;
    }

    public async Task<bool> EmailTakenAsync(DbTransaction transaction, string email, string exceptId, CancellationToken ct) =>
        await transaction.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM users WHERE email_key = @key AND id <> @exceptId",
            new { key = UserRules.EmailKey(email), exceptId }, transaction, cancellationToken: ct)) > 0;

    /// <summary>Inserts unless the email is taken (also by a concurrent insert); false when it was.</summary>
    public async Task<bool> InsertIfEmailFreeAsync(DbTransaction transaction, UserRow user, CancellationToken ct) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO users ({Columns})
            VALUES (@Id, @Email, @EmailKey, @DisplayName, @PasswordHash, @Department, @ProfileRole, @AvatarUrl,
                    @IsAdmin, @Disabled, @TokensNotBefore, @LastLogin, @CreatedAt, @UpdatedAt)
            ON CONFLICT (email_key) DO NOTHING
            """, user, transaction, cancellationToken: ct)) == 1;

    public Task UpdateAsync(DbTransaction transaction, UserRow user, CancellationToken ct) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition("""
            UPDATE users SET email = @Email, email_key = @EmailKey, display_name = @DisplayName, password_hash = @PasswordHash,
                department = @Department, profile_role = @ProfileRole, avatar_url = @AvatarUrl, is_admin = @IsAdmin,
                disabled = @Disabled, tokens_not_before = @TokensNotBefore, last_login = @LastLogin, updated_at = @UpdatedAt
            WHERE id = @Id
            """, user, transaction, cancellationToken: ct));

    /// <summary>A new password hash; tokens issued before <paramref name="notBefore"/> stop working.</summary>
    public Task SetPasswordAsync(DbTransaction transaction, string id, string hash, DateTime notBefore, DateTime now, CancellationToken ct) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET password_hash = @hash, tokens_not_before = @notBefore, updated_at = @now WHERE id = @id",
            new { id, hash, notBefore, now }, transaction, cancellationToken: ct));

    /// <summary>Users ordered by email; a cursor is the last email key sent.</summary>
    public async Task<(IReadOnlyList<UserRow> Items, long Total)> ListAsync(UserFilters filters, PageRequest page, string? afterEmailKey, CancellationToken ct)
    {
        var where = new List<string>();
        var args = new DynamicParameters();
        if (filters.IncludeDisabled != true)
        {
            where.Add("disabled = @disabled");
            args.Add("disabled", false);
        }

        if (filters.Search is not null)
        {
            where.Add(@"(email_key LIKE @search ESCAPE '\' OR lower(display_name) LIKE @search ESCAPE '\')");
            args.Add("search", Like.Contains(filters.Search));
        }

        var filter = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        var keyset = afterEmailKey is null ? "" : (where.Count == 0 ? "WHERE" : "AND") + " email_key > @after";
        args.Add("after", afterEmailKey);
        args.Add("limit", page.PageSize);
        args.Add("offset", afterEmailKey is null ? page.Offset : 0);

        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM users {filter}", args, cancellationToken: ct));
        var rows = await connection.QueryAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users {filter} {keyset} ORDER BY email_key LIMIT @limit OFFSET @offset", args, cancellationToken: ct));
        return (rows.ToList(), total);
    }
}
