namespace Montu.Server.Data;

/// <summary>A statement and the object whose properties it binds, built by one feature's queries and sent by another's code.</summary>
public sealed record SqlStatement(string Sql, object Parameters);
