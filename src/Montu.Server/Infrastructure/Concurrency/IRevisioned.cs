namespace Montu.Server.Infrastructure.Concurrency;

/// <summary>
/// A resource whose every change moves its <c>revision</c> by one. Its single-resource answers
/// carry <c>ETag: "&lt;revision&gt;"</c> and its writes honour <c>If-Match</c>
/// (<see cref="RevisionPreconditions"/>).
/// </summary>
public interface IRevisioned
{
    int Revision { get; }
}
