using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Infrastructure.Concurrency;

/// <summary>
/// The request's <c>If-Match</c>, as a write's handler takes it (<c>IfMatch ifMatch</c>). The
/// handler checks it against the revision it reads inside the write's transaction, with the row
/// locked, so two writers sending the same revision cannot both pass. Absent, it matches anything:
/// <see cref="RevisionPreconditions"/> answers 428 first where the project requires it.
/// </summary>
public sealed class IfMatch
{
    public const string Header = "If-Match";

    /// <summary>No If-Match: the server's own writes (demo data) change whatever revision is current.</summary>
    public static readonly IfMatch Absent = new(null);

    private readonly EntityTags? _tags;

    private IfMatch(EntityTags? tags) => _tags = tags;

    public bool IsPresent => _tags is not null;

    /// <summary>The one revision sent (<c>If-Match: "3"</c>), the base of a field merge; null otherwise.</summary>
    public int? BaseRevision => _tags?.SingleRevision;

    /// <summary>Null when the resource at <paramref name="current"/> may be written; else 412 naming its revision.</summary>
    public ApiError? Check(int current, string resource) =>
        _tags is null || _tags.MatchStrongly(current) ? null : Stale(current, resource);

    /// <summary>412 with the revision the resource is at, for the client to read it again.</summary>
    public static ApiError Stale(int current, string resource) => new(
        StatusCodes.Status412PreconditionFailed,
        $"{resource} has changed since the revision sent in If-Match; it is at revision {current}: read it again and reapply your change",
        [new FieldError(Header, $"The current revision is {current}", ErrorCodes.StaleRevision) { Revision = current }]);

    /// <summary>The request's header. A malformed one matches nothing, though the route's filter has refused it with 400 already.</summary>
    public static IfMatch Read(HttpRequest request) =>
        request.Headers.IfMatch.Count == 0 ? Absent : new IfMatch(EntityTags.Parse(request.Headers.IfMatch) ?? EntityTags.None);

    public static ValueTask<IfMatch?> BindAsync(HttpContext context) => ValueTask.FromResult<IfMatch?>(Read(context.Request));
}
