using System.Text.Json;

namespace Montu.Server.Infrastructure.Jobs;

/// <summary>
/// A job leased to one worker until <see cref="LeaseExpiresAt"/> (renewed while it runs).
/// <see cref="Id"/>, <see cref="WorkerId"/> and <see cref="Attempts"/> together name the lease:
/// once the job is taken back, a report carrying them changes nothing. <see cref="Attempts"/>
/// counts the attempts that ended before this one without completing.
/// </summary>
public sealed record LeasedJob(
    string Id,
    string Kind,
    string? ProjectId,
    string? TaskId,
    JsonElement Params,
    int Priority,
    int Attempts,
    int MaxAttempts,
    string WorkerId,
    DateTime LeaseExpiresAt,
    string? BatchId,
    string? CreatedBy);
