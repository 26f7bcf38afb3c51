using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Montu.Server.Infrastructure.OpenApi;

/// <summary>Each item of this list is a string of at most <paramref name="maxLength"/> characters.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemMaxLengthAttribute(int maxLength) : Attribute
{
    public int MaxLength => maxLength;
}

/// <summary>
/// This JSON object holds user-chosen names: at most <paramref name="maxEntries"/> of them, each
/// of at most <paramref name="maxNameLength"/> characters, and string values of at most
/// <see cref="MaxValueLength"/> when it is set.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MapLimitsAttribute(int maxEntries, int maxNameLength) : Attribute
{
    public int MaxEntries => maxEntries;

    public int MaxNameLength => maxNameLength;

    public int MaxValueLength { get; init; }

    /// <summary>When set, each value is a list of at most this many strings, each of at most <see cref="MaxValueLength"/> characters.</summary>
    public int MaxValueItems { get; init; }
}

/// <summary>This list holds <c>[x, y]</c> pairs, each number from 0 to 1 (an annotation's drawing points).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NormalisedPointsAttribute : Attribute;

/// <summary>
/// Declares in the OpenAPI schemas the limits that DataAnnotations cannot express (list items,
/// map entries), and what the wire format does with timestamps: ISO 8601 strings of at most
/// <see cref="InputLimits.TimestampLength"/> characters.
/// </summary>
public static class SchemaLimits
{
    public static Task ApplyAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken _)
    {
        var type = context.JsonTypeInfo.Type;
        if ((Nullable.GetUnderlyingType(type) ?? type) == typeof(DateTime))
        {
            schema.Type = type == typeof(DateTime) ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.MaxLength = InputLimits.TimestampLength;
        }

        // From the object that declares the property, where its attributes are.
        if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { } properties)
        {
            foreach (var property in context.JsonTypeInfo.Properties)
            {
                if (properties.TryGetValue(property.Name, out var declared) && declared is OpenApiSchema propertySchema)
                {
                    Limit(propertySchema, property.AttributeProvider);
                }
            }
        }

        return Task.CompletedTask;
    }

    private static void Limit(OpenApiSchema schema, ICustomAttributeProvider? attributes)
    {
        if (attributes?.GetCustomAttributes(typeof(ItemMaxLengthAttribute), inherit: true).FirstOrDefault() is ItemMaxLengthAttribute items)
        {
            schema.Items = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = items.MaxLength };
        }

        if (attributes?.GetCustomAttributes(typeof(NormalisedPointsAttribute), inherit: true).Length > 0)
        {
            schema.Items = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                MinItems = 2,
                MaxItems = 2,
                Items = new OpenApiSchema { Type = JsonSchemaType.Number, Minimum = "0", Maximum = "1" },
            };
        }

        if (attributes?.GetCustomAttributes(typeof(MapLimitsAttribute), inherit: true).FirstOrDefault() is MapLimitsAttribute map)
        {
            schema.MaxProperties = map.MaxEntries;
            schema.PropertyNames = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = map.MaxNameLength };
            if (map.MaxValueItems > 0 && schema.AdditionalProperties is OpenApiSchema lists)
            {
                lists.MaxItems = map.MaxValueItems;
                lists.Items = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = map.MaxValueLength };
            }
            else if (map.MaxValueLength > 0 && schema.AdditionalProperties is OpenApiSchema values)
            {
                values.MaxLength = map.MaxValueLength;
            }
        }
    }
}
