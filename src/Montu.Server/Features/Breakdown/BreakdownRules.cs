using System.Text.Json;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Breakdown;

/// <summary>What makes a breakdown entity valid, and the fields a client may set (docs/decisions/0041).</summary>
public static class BreakdownRules
{
    public const string Active = "active";
    public const string Archived = "archived";
    public const string OtherAssetType = "other";
    public const int MaxReferences = 100;

    public static readonly string[] Statuses = [Active, "on_hold", "omitted"];
    public static readonly string[] AssetTypes = ["character", "prop", "environment", "vehicle", "fx", OtherAssetType];

    /// <summary>Fields a body may carry, by collection: the names on create only, then the editable ones.</summary>
    private static readonly string[] Common = ["description", "status", "customFields"];
    private static readonly Dictionary<string, string[]> Names = new()
    {
        ["episode"] = ["episode"],
        ["sequence"] = ["episode", "sequence"],
        ["shot"] = ["episode", "sequence", "shot"],
        ["asset"] = ["name"],
    };
    private static readonly Dictionary<string, string[]> Editable = new()
    {
        ["episode"] = ["cutOrder", .. Common],
        ["sequence"] = ["cutOrder", .. Common],
        ["shot"] = ["cutOrder", "frameIn", "frameOut", "handles", "fps", "thumbnailMediaId", .. Common],
        ["asset"] = ["assetType", "referenceMediaIds", "generationProfile", .. Common],
    };

    /// <summary>The clean form a name is matched by (the one task ids derive from); null for no name.</summary>
    public static string? Key(string? name) => TaskRules.Clean(name) is { Length: > 0 } clean ? clean : null;

    public static IReadOnlyList<string> NameFields(BreakdownKind kind) => Names[kind.Name];

    /// <summary>
    /// Applies the body's editable fields to <paramref name="row"/>. Names are the entity's
    /// identity: on a PATCH they are refused as read-only, since tasks find their entity by them.
    /// </summary>
    public static void Apply(BreakdownKind kind, JsonElement body, BreakdownRow row, bool creating, ValidationProblems problems)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            problems.Add("body", "The body must be a JSON object", ErrorCodes.InvalidType);
            return;
        }

        // Keys and strings are read as .NET strings below, which a lone surrogate or bad UTF-8 cannot become.
        if (JsonText.FindUnstorable(body, "body") is { } unstorable)
        {
            problems.Add(unstorable);
            return;
        }

        var editable = Editable[kind.Name];
        foreach (var property in body.EnumerateObject())
        {
            var (field, value) = (property.Name, property.Value);
            if (field == "projectId" && creating || creating && Names[kind.Name].Contains(field))
            {
                continue;
            }

            if (Names[kind.Name].Contains(field) || field is "projectId" or "id")
            {
                problems.Add(field, $"Field '{field}' is part of the {kind.Name}'s identity and cannot change; tasks find their {kind.Name} by it", ErrorCodes.ReadOnlyField);
                continue;
            }

            if (!editable.Contains(field))
            {
                problems.Add(Quote.Name(field), $"Unknown field {Quote.Of(field)}: a {kind.Name} takes {string.Join(", ", editable)}", ErrorCodes.UnknownField);
                continue;
            }

            ApplyField(field, value, row, problems);
        }

        if (row.FrameIn is { } first && row.FrameOut is { } last && first > last)
        {
            problems.Add("frameIn", "frameIn must not be after frameOut", ErrorCodes.OutOfRange);
        }
    }

    private static void ApplyField(string field, JsonElement value, BreakdownRow row, ValidationProblems problems)
    {
        switch (field)
        {
            case "cutOrder":
                row.CutOrder = Int(field, value, 1, problems, nullable: false) ?? row.CutOrder;
                break;
            case "frameIn":
                row.FrameIn = Int(field, value, 0, problems, nullable: true);
                break;
            case "frameOut":
                row.FrameOut = Int(field, value, 0, problems, nullable: true);
                break;
            case "handles":
                row.Handles = Int(field, value, 0, problems, nullable: true);
                break;
            case "fps":
                row.Fps = Fps(value, problems);
                break;
            case "description":
                row.Description = Text(field, value, InputLimits.TextLength, problems);
                break;
            case "thumbnailMediaId":
                row.ThumbnailMediaId = Text(field, value, InputLimits.OpaqueValueLength, problems);
                break;
            case "status":
                row.Status = OneOf(field, value, Statuses, problems, "archive with DELETE") ?? row.Status;
                break;
            case "assetType":
                row.AssetType = OneOf(field, value, AssetTypes, problems, null) ?? row.AssetType;
                break;
            case "referenceMediaIds":
                row.ReferenceMediaIds = References(value, problems) ?? row.ReferenceMediaIds;
                break;
            case "generationProfile":
                row.GenerationProfile = JsonObject(field, value, problems) ?? row.GenerationProfile;
                break;
            default:
                if (JsonObject(field, value, problems) is { } fields)
                {
                    CustomFieldLimits.Check(StorageJson.Read<Dictionary<string, JsonElement>>(fields), problems);
                    row.CustomFields = fields;
                }

                break;
        }
    }

    private static int? Int(string field, JsonElement value, int min, ValidationProblems problems, bool nullable)
    {
        if (value.ValueKind == JsonValueKind.Null && nullable)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > InputLimits.MaxFrame)
        {
            problems.Add(field, $"Field '{field}' must be a whole number from {min} to {InputLimits.MaxFrame}", ErrorCodes.OutOfRange);
            return null;
        }

        return number;
    }

    private static double? Fps(JsonElement value, ValidationProblems problems)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var fps) || fps <= 0 || fps > 1000 || decimal.Round(fps, 3) != fps)
        {
            problems.Add("fps", "fps must be a number above 0 and at most 1000, with at most 3 decimals (23.976), or null for the project's", ErrorCodes.OutOfRange);
            return null;
        }

        return (double)fps;
    }

    private static string? Text(string field, JsonElement value, int maxLength, ValidationProblems problems)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add(field, $"Field '{field}' must be a string or null", ErrorCodes.InvalidType);
            return null;
        }

        var text = value.GetString()!;
        problems.MaxLength(field, text, maxLength);
        if (JsonText.FindUnstorable(value, field) is { } unstorable)
        {
            problems.Add(unstorable);
        }

        return text.Length == 0 ? null : text;
    }

    private static string? OneOf(string field, JsonElement value, string[] allowed, ValidationProblems problems, string? hint)
    {
        if (value.ValueKind != JsonValueKind.String || !allowed.Contains(value.GetString()))
        {
            problems.Add(field, $"Field '{field}' must be one of: {string.Join(", ", allowed)}{(hint is null ? "" : $" ({hint})")}");
            return null;
        }

        return value.GetString();
    }

    private static string? References(JsonElement value, ValidationProblems problems)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > MaxReferences
            || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String || v.GetString()!.Length is 0 or > InputLimits.OpaqueValueLength))
        {
            problems.Add("referenceMediaIds", $"referenceMediaIds must be a list of at most {MaxReferences} media ids", ErrorCodes.InvalidValue);
            return null;
        }

        if (JsonText.FindUnstorable(value, "referenceMediaIds") is { } unstorable)
        {
            problems.Add(unstorable);
            return null;
        }

        return StorageJson.Write(value.EnumerateArray().Select(v => v.GetString()!).Distinct(StringComparer.Ordinal).ToList());
    }

    private static string? JsonObject(string field, JsonElement value, ValidationProblems problems)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add(field, $"Field '{field}' must be a JSON object", ErrorCodes.InvalidType);
            return null;
        }

        if (JsonText.FindUnstorable(value, field) is { } unstorable)
        {
            problems.Add(unstorable);
            return null;
        }

        var json = value.GetRawText();
        if (json.Length > InputLimits.CustomFieldsBytes)
        {
            problems.Add(field, $"Field '{field}' is larger than {InputLimits.CustomFieldsBytes} bytes", ErrorCodes.OutOfRange);
            return null;
        }

        return json;
    }
}
