using System.Text.Json;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Tasks;

/// <summary>What a task body is parsed for: each kind treats server-owned and unknown keys differently.</summary>
public enum TaskInputKind
{
    /// <summary><c>POST /tasks</c>: <c>id</c> and <c>projectId</c> may be given; unknown keys are refused.</summary>
    Create,

    /// <summary>A PATCH, PUT or bulk item: server-owned keys are refused.</summary>
    Patch,

    /// <summary><c>POST /tasks/{id}/add-field</c>: every key is a custom field.</summary>
    AddField,
}

/// <summary>
/// A task body split into core fields (by their camelCase name) and custom fields. Keys may be
/// camelCase or snake_case. A new task takes custom fields only inside <c>customFields</c>, so a
/// typo never silently becomes one; a patch stores other unknown keys as custom fields (v2.1
/// dynamic fields), except keys spelled almost like a task field. Custom keys keep their
/// spelling, since they are user data.
/// </summary>
public sealed class TaskInput
{
    private static readonly HashSet<string> ServerOwned =
        ["id", "projectId", "createdAt", "updatedAt", "createdBy", "episodeClean", "sequenceClean", "shotClean", "revision"];

    /// <summary>What a misspelled key of a patch may have meant: the fields a patch writes.</summary>
    private static readonly string[] TopLevelNames = [.. TaskFields.Names, TaskFields.CustomFields];

    /// <summary>What a misspelled key of a new task may have meant.</summary>
    private static readonly string[] CreateNames = [.. TopLevelNames, "id", "projectId"];

    private static readonly Dictionary<string, string> CanonicalNames = TaskFields.Names
        .Concat(ServerOwned).Append(TaskFields.CustomFields)
        .SelectMany(name => new[] { (Key: name, Name: name), (Key: JsonNamingPolicy.SnakeCaseLower.ConvertName(name), Name: name) })
        .DistinctBy(p => p.Key)
        .ToDictionary(p => p.Key, p => p.Name, StringComparer.Ordinal);

    public string? Id { get; private set; }

    public string? ProjectId { get; private set; }

    /// <summary>Core fields to set, in body order.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonElement>> Fields => _fields;

    /// <summary>Custom fields to set; a null value removes the key (JSON merge patch).</summary>
    public IReadOnlyDictionary<string, JsonElement?> Custom => _custom;

    /// <summary>
    /// Keys of <see cref="Custom"/> spelled almost like a task field, with that field: a typo unless
    /// the task already has such a custom field (<see cref="TaskFields.Apply"/> decides).
    /// </summary>
    public IReadOnlyDictionary<string, string> LookAlikes => _lookAlikes;

    private readonly List<KeyValuePair<string, JsonElement>> _fields = [];
    private readonly Dictionary<string, JsonElement?> _custom = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _lookAlikes = new(StringComparer.Ordinal);

    public static TaskInput Parse(JsonElement body, TaskInputKind kind, ValidationProblems problems)
    {
        var input = new TaskInput();
        if (body.ValueKind != JsonValueKind.Object)
        {
            problems.Add("body", "The body must be a JSON object", ErrorCodes.InvalidType);
            return input;
        }

        if (JsonText.FindUnstorable(body, "") is { } notText)
        {
            problems.Add(notText);
            return input;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            var name = kind == TaskInputKind.AddField ? property.Name : CanonicalNames.GetValueOrDefault(property.Name, property.Name);
            if (!seen.Add(name))
            {
                problems.Add(Quote.Name(name), $"Field {Quote.Of(name)} is given more than once", ErrorCodes.DuplicateValue);
                continue;
            }

            input.Take(name, property, kind, problems);
        }

        return input;
    }

    private void Take(string name, JsonProperty property, TaskInputKind kind, ValidationProblems problems)
    {
        var value = property.Value;
        if (kind == TaskInputKind.AddField)
        {
            if (CanonicalNames.ContainsKey(name))
            {
                problems.Add(name, $"'{name}' is a task field; change it with PATCH /tasks/{{id}}");
                return;
            }

            SetCustom(name, value);
            return;
        }

        if (kind == TaskInputKind.Create && name is "id" or "projectId")
        {
            var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                problems.Add(name, $"Field '{name}' must be a string", ErrorCodes.InvalidType);
            }

            if (name == "id")
            {
                Id = text;
            }
            else
            {
                ProjectId = text;
            }

            return;
        }

        if (ServerOwned.Contains(name))
        {
            var readOnly = JsonErrors.ReadOnly(property.Name);
            problems.Add(readOnly.Field, readOnly.Message, readOnly.Code);
            return;
        }

        if (name == TaskFields.CustomFields)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                problems.Add(name, "Field 'customFields' must be a JSON object", ErrorCodes.InvalidType);
                return;
            }

            foreach (var custom in value.EnumerateObject())
            {
                SetCustom(custom.Name, custom.Value);
            }

            return;
        }

        if (TaskFields.Names.Contains(name))
        {
            _fields.Add(new(name, value.Clone()));
            return;
        }

        var suggestion = Spelling.Nearest(name, kind == TaskInputKind.Create ? CreateNames : TopLevelNames);
        if (kind == TaskInputKind.Create)
        {
            problems.Add(Quote.Name(name), $"Unknown field {Quote.Of(name)}{Spelling.Hint(suggestion)}; send custom fields inside 'customFields'", ErrorCodes.UnknownField);
            return;
        }

        if (suggestion is not null)
        {
            _lookAlikes[property.Name] = suggestion;
        }

        SetCustom(property.Name, value);
    }

    private void SetCustom(string key, JsonElement value) =>
        _custom[key] = value.ValueKind == JsonValueKind.Null ? null : value.Clone();
}
