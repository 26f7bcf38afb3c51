namespace Montu.Server.Infrastructure.Errors;

/// <summary>The body of every error response: <c>{"error": {...}}</c>.</summary>
public sealed record ErrorEnvelope(ErrorBody Error);

public sealed record ErrorBody(
    string Code,
    string Message,
    IReadOnlyList<FieldError> Details,
    string RequestId,
    DateTime Timestamp);

/// <summary>One problem with one field of the request; <c>field</c> is a dotted path such as <c>frameRange.start</c>.</summary>
public sealed record FieldError(string Field, string Message, string Code);
