using System.Globalization;
using System.Text.Json;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Tasks;

/// <summary>
/// The writable core fields of a task and how each reads its JSON value. One table serves
/// create, PATCH/PUT, bulk items and any later importer, so a field means the same everywhere.
/// </summary>
public static class TaskFields
{
    public const string CustomFields = "customFields";

    private const int NameLength = InputLimits.NameLength;
    private const int TextLength = InputLimits.TextLength;

    private static readonly Dictionary<string, Setter> Setters = new(StringComparer.Ordinal)
    {
        ["type"] = (t, v, r) => t with { Type = r.Required(v, "type") ?? t.Type },
        ["episode"] = (t, v, r) => t with { Episode = r.Text(v, "episode", NameLength) },
        ["sequence"] = (t, v, r) => t with { Sequence = r.Text(v, "sequence", NameLength) },
        ["shot"] = (t, v, r) => t with { Shot = r.Text(v, "shot", NameLength) },
        ["asset"] = (t, v, r) => t with { Asset = r.Text(v, "asset", NameLength) },
        ["task"] = (t, v, r) => t with { Task = r.Required(v, "task") ?? t.Task },
        ["artist"] = (t, v, r) => t with { Artist = r.Text(v, "artist", NameLength) },
        ["status"] = (t, v, r) => t with { Status = r.Required(v, "status") ?? t.Status },
        ["priority"] = (t, v, r) => t with { Priority = r.Required(v, "priority") ?? t.Priority },
        ["milestone"] = (t, v, r) => t with { Milestone = r.Text(v, "milestone", NameLength) },
        ["milestoneNote"] = (t, v, r) => t with { MilestoneNote = r.Text(v, "milestoneNote", TextLength) },
        ["frameRange"] = (t, v, r) => t with { FrameRange = r.Frames(v, "frameRange", t.FrameRange) },
        ["startTime"] = (t, v, r) => t with { StartTime = r.Time(v, "startTime") },
        ["deadline"] = (t, v, r) => t with { Deadline = r.Time(v, "deadline") },
        ["estimatedDurationHours"] = (t, v, r) => t with { EstimatedDurationHours = r.Hours(v, "estimatedDurationHours", nullable: true) },
        ["actualTimeLogged"] = (t, v, r) => t with { ActualTimeLogged = r.Hours(v, "actualTimeLogged", nullable: false) ?? t.ActualTimeLogged },
        ["versions"] = (t, v, r) => t with { Versions = r.Names(v, "versions", InputLimits.VersionsCount) ?? t.Versions },
        ["currentVersion"] = (t, v, r) => t with { CurrentVersion = r.Text(v, "currentVersion", NameLength) },
        ["publishedVersion"] = (t, v, r) => t with { PublishedVersion = r.Text(v, "publishedVersion", NameLength) },
        ["fileExtension"] = (t, v, r) => t with { FileExtension = r.Text(v, "fileExtension", NameLength) },
        ["masterFile"] = (t, v, r) => t with { MasterFile = r.Bool(v, "masterFile") ?? t.MasterFile },
        ["workingFilePath"] = (t, v, r) => t with { WorkingFilePath = r.Text(v, "workingFilePath", TextLength) },
        ["renderOutputPath"] = (t, v, r) => t with { RenderOutputPath = r.Text(v, "renderOutputPath", TextLength) },
        ["mediaFilePath"] = (t, v, r) => t with { MediaFilePath = r.Text(v, "mediaFilePath", TextLength) },
        ["cacheFilePath"] = (t, v, r) => t with { CacheFilePath = r.Text(v, "cacheFilePath", TextLength) },
        ["filename"] = (t, v, r) => t with { Filename = r.Text(v, "filename", TextLength) },
        ["description"] = (t, v, r) => t with { Description = r.Text(v, "description", TextLength) },
    };

    private delegate TaskItem Setter(TaskItem task, JsonElement value, FieldReader read);

    public static IReadOnlySet<string> Names { get; } = Setters.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>Sets the input's core fields and merges its custom fields into <paramref name="task"/>.</summary>
    public static TaskItem Apply(TaskItem task, TaskInput input, ValidationProblems problems)
    {
        var read = new FieldReader(problems);
        foreach (var (name, value) in input.Fields)
        {
            task = Setters[name](task, value, read);
        }

        foreach (var (key, field) in input.LookAlikes)
        {
            if (!task.CustomFields.ContainsKey(key))
            {
                problems.Add(Quote.Name(key), $"Unknown field {Quote.Of(key)}; did you mean '{field}'? To store a custom field of that name, send it inside 'customFields'", ErrorCodes.UnknownField);
            }
        }

        if (input.Custom.Count == 0)
        {
            return task;
        }

        var custom = new Dictionary<string, JsonElement>(task.CustomFields, StringComparer.Ordinal);
        foreach (var (key, value) in input.Custom)
        {
            if (value is { } set)
            {
                custom[key] = set;
            }
            else
            {
                custom.Remove(key);
            }
        }

        CustomFieldLimits.Check(custom, problems);
        return task with { CustomFields = custom };
    }

    /// <summary>Reads one JSON value as a field's type; a wrong type or value is reported under the field's name.</summary>
    private sealed class FieldReader(ValidationProblems problems)
    {
        public string? Required(JsonElement value, string field)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                problems.Add(field, $"Field '{field}' cannot be null", ErrorCodes.RequiredField);
                return null;
            }

            var text = Text(value, field, NameLength);
            if (text is not null && string.IsNullOrWhiteSpace(text))
            {
                problems.Add(field, $"Field '{field}' cannot be empty", ErrorCodes.RequiredField);
                return null;
            }

            return text;
        }

        public string? Text(JsonElement value, string field, int maxLength)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                return WrongType<string>(field, "a string");
            }

            var text = value.GetString()!;
            if (text.Length > maxLength)
            {
                problems.Add(field, $"Field '{field}' must be at most {maxLength} characters", ErrorCodes.OutOfRange);
            }

            return text;
        }

        public DateTime? Time(JsonElement value, string field)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length > InputLimits.TimestampLength
                || !DateTime.TryParse(value.GetString(), CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
            {
                problems.Add(field, $"Field '{field}' must be an ISO 8601 timestamp such as 2025-08-29T10:00:00Z", ErrorCodes.InvalidFormat);
                return null;
            }

            return TaskChanges.Stored(DateTime.SpecifyKind(time, DateTimeKind.Utc));
        }

        public double? Hours(JsonElement value, string field, bool nullable)
        {
            if (value.ValueKind == JsonValueKind.Null && nullable)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var hours))
            {
                return WrongType<double?>(field, "a number of hours");
            }

            if (hours is < 0 or > InputLimits.MaxHours)
            {
                problems.Add(field, $"Field '{field}' must be between 0 and {InputLimits.MaxHours} hours", ErrorCodes.OutOfRange);
            }

            return hours;
        }

        public bool? Bool(JsonElement value, string field) => value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => WrongType<bool?>(field, "true or false"),
        };

        /// <summary>A list of names (<c>versions</c>: <c>["v001", "v002"]</c>), each as long as a name may be.</summary>
        public List<JsonElement>? Names(JsonElement value, string field, int maxItems)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                return WrongType<List<JsonElement>>(field, "an array of strings");
            }

            var count = value.GetArrayLength();
            if (count > maxItems)
            {
                problems.Add(field, $"Field '{field}' has at most {maxItems} items", ErrorCodes.OutOfRange);
                return null;
            }

            var names = new List<JsonElement>(count);
            foreach (var (item, index) in value.EnumerateArray().Select((item, index) => (item, index)))
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    return WrongType<List<JsonElement>>($"{field}[{index}]", "a string");
                }

                if (item.GetString()!.Length > NameLength)
                {
                    problems.Add($"{field}[{index}]", $"Items of '{field}' have at most {NameLength} characters", ErrorCodes.OutOfRange);
                    return null;
                }

                names.Add(item.Clone());
            }

            return names;
        }

        /// <summary>A partial range merges with the current one, so <c>{"end": 1200}</c> moves only the end.</summary>
        public FrameRange? Frames(JsonElement value, string field, FrameRange? current)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                return WrongType<FrameRange>(field, "an object {start, end}");
            }

            int? start = current?.Start, end = current?.End;
            var valid = true;
            foreach (var property in value.EnumerateObject())
            {
                var name = $"{field}.{property.Name}";
                if (property.Name is not ("start" or "end"))
                {
                    valid = false;
                    problems.Add(name, $"Unknown field '{name}'", ErrorCodes.UnknownField);
                }
                else if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var frame))
                {
                    valid = false;
                    problems.Add(name, $"Field '{name}' must be a whole frame number", ErrorCodes.InvalidType);
                }
                else if (frame is < -InputLimits.MaxFrame or > InputLimits.MaxFrame)
                {
                    valid = false;
                    problems.Add(name, $"Field '{name}' must be between -{InputLimits.MaxFrame} and {InputLimits.MaxFrame}", ErrorCodes.OutOfRange);
                }
                else if (property.Name == "start")
                {
                    start = frame;
                }
                else
                {
                    end = frame;
                }
            }

            if (start is { } first && end is { } last)
            {
                return new FrameRange(first, last);
            }

            if (valid)
            {
                problems.Add(field, $"Field '{field}' needs both start and end", ErrorCodes.RequiredField);
            }

            return null;
        }

        private T? WrongType<T>(string field, string expected)
        {
            problems.Add(field, $"Field '{field}' must be {expected}", ErrorCodes.InvalidType);
            return default;
        }
    }
}
