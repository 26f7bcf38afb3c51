namespace Montu.Server.Tests;

/// <summary>
/// A test of behaviour only PostgreSQL has (several server processes on one database). In the
/// SQLite run it shows as skipped, with the reason, rather than passing without testing anything.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!TestApp.OnPostgres)
        {
            Skip = "PostgreSQL only: SQLite is served by one server process";
        }
    }
}
