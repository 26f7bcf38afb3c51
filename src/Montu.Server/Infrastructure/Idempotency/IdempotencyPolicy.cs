namespace Montu.Server.Infrastructure.Idempotency;

/// <summary>What makes a repeat of a request the same request, for its <c>Idempotency-Key</c>.</summary>
public enum RequestSameness
{
    /// <summary>Method, path and query, and the body's bytes: the JSON routes, whose bodies are small.</summary>
    Body,

    /// <summary>
    /// Method, path and query, the body's media type and its announced length: for a body streamed to
    /// storage as it arrives (gigabytes of media), which is never held to be hashed first.
    /// </summary>
    StreamedBody,
}

/// <summary>
/// How a route's POST, PUT, PATCH and DELETE requests take an <c>Idempotency-Key</c>
/// (docs/api.md §Idempotent retries), declared on the route or its group: the key is honoured
/// with <see cref="Sameness"/>, or refused with a 400 saying <see cref="RefusedBecause"/>.
/// </summary>
public sealed record IdempotencyPolicy(RequestSameness Sameness, string? RefusedBecause = null)
{
    public bool Refuses => RefusedBecause is not null;
}

public static class IdempotencyPolicies
{
    /// <summary>Write requests take a key; a repeat is the same request when its <paramref name="sameness"/> is.</summary>
    public static TBuilder TakesIdempotencyKeys<TBuilder>(this TBuilder builder, RequestSameness sameness = RequestSameness.Body)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new IdempotencyPolicy(sameness));

    /// <summary>
    /// A key is refused with a 400 saying <paramref name="because"/>: the route cannot keep its promise
    /// (its answer holds credentials, which are never stored; its protocol resumes in its own way).
    /// </summary>
    public static TBuilder RefusesIdempotencyKeys<TBuilder>(this TBuilder builder, string because)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new IdempotencyPolicy(RequestSameness.Body, because));
}
