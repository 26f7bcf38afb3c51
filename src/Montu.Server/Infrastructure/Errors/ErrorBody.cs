using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

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
public sealed record FieldError(string Field, string Message, string Code)
{
    [Description("412 PRECONDITION_FAILED: the revision the resource is at now")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Revision { get; init; }

    [Description("409 merge conflict: the field's value at the base revision sent in If-Match (null when unset)")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Base { get; init; }

    [Description("409 merge conflict: the field's value now, as another writer left it")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Server { get; init; }

    [Description("409 merge conflict: the value the request would have set")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Client { get; init; }
}
