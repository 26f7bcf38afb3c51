namespace Montu.Server.Infrastructure;

/// <summary>
/// Where the server keeps its files (the SQLite database, signing keys, later media): <c>MONTU_DATA_DIR</c>,
/// by default <c>data</c> in the directory the server was started from.
/// </summary>
public static class DataDirectory
{
    public const string Setting = "MONTU_DATA_DIR";

    public static string From(IConfiguration configuration) => Path.GetFullPath(configuration[Setting] is { Length: > 0 } configured ? configured : "data");
}
