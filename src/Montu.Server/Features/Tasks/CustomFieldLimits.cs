using System.Text.Json;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Tasks;

/// <summary>
/// How big a task's <c>customFields</c> may grow: a bounded number of named values, each nested
/// a few levels at most, the whole no larger than <see cref="InputLimits.CustomFieldsBytes"/> of
/// JSON as responses carry it. Checked on the merged document, so many small writes cannot add up
/// past it.
/// </summary>
public static class CustomFieldLimits
{
    private const string Field = TaskFields.CustomFields;

    public static void Check(IReadOnlyDictionary<string, JsonElement> fields, ValidationProblems problems)
    {
        if (fields.Count > InputLimits.CustomFieldsCount)
        {
            problems.Add(Field, $"A task has at most {InputLimits.CustomFieldsCount} custom fields", ErrorCodes.OutOfRange);
            return;
        }

        var valid = true;
        foreach (var (name, value) in fields)
        {
            if (name.Length > InputLimits.CustomFieldNameLength)
            {
                valid = false;
                problems.Add(Field, $"Custom field names have at most {InputLimits.CustomFieldNameLength} characters", ErrorCodes.OutOfRange);
            }
            else if (Depth(value) > InputLimits.CustomFieldDepth)
            {
                valid = false;
                problems.Add($"{Field}.{name}", $"A custom field nests objects and arrays at most {InputLimits.CustomFieldDepth} levels deep", ErrorCodes.OutOfRange);
            }
        }

        if (valid && JsonSerializer.SerializeToUtf8Bytes(fields, WireJson.Default).Length > InputLimits.CustomFieldsBytes)
        {
            problems.Add(Field, $"Custom fields take at most {InputLimits.CustomFieldsBytes / 1024} KiB as JSON", ErrorCodes.OutOfRange);
        }
    }

    /// <summary>1 for an empty object or array, plus one per level inside; 0 for a scalar.</summary>
    private static int Depth(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => 1 + value.EnumerateObject().Select(p => Depth(p.Value)).DefaultIfEmpty(0).Max(),
        JsonValueKind.Array => 1 + value.EnumerateArray().Select(Depth).DefaultIfEmpty(0).Max(),
        _ => 0,
    };
}
