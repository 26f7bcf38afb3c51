using System.Text.Json;
using System.Text.Json.Serialization;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Tasks;

/// <summary>
/// A task as stored in its <c>doc</c> column: the <see cref="TaskItem"/> already serialized in the
/// default wire shape, and its revision (read from its column) for the ETag. Reads send these bytes
/// as they are; the OpenAPI document shows the <see cref="TaskItem"/> schema for it.
/// </summary>
[JsonConverter(typeof(TaskJsonConverter))]
public sealed record TaskJson(string Json, int Revision) : IRevisioned
{
    public static TaskJson From(TaskItem task) => new(JsonSerializer.Serialize(task, WireJson.Default), task.Revision);

    public TaskItem ToTask() => JsonSerializer.Deserialize<TaskItem>(Json, WireJson.Default)!;
}

/// <summary>
/// Writes the stored JSON unchanged for the default shape. Any other shape (the v2.0
/// snake_case one) goes through <see cref="TaskItem"/> so its keys are renamed like every other
/// response's.
/// </summary>
public sealed class TaskJsonConverter : JsonConverter<TaskJson>
{
    public override TaskJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Tasks are read as TaskItem; TaskJson is output only.");

    public override void Write(Utf8JsonWriter writer, TaskJson value, JsonSerializerOptions options)
    {
        if (options.PropertyNamingPolicy == JsonNamingPolicy.CamelCase)
        {
            writer.WriteRawValue(value.Json, skipInputValidation: true);
        }
        else
        {
            JsonSerializer.Serialize(writer, value.ToTask(), options);
        }
    }
}
