using System.Text.Json;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.TaskImport;

/// <summary>The form's settings of one import (everything but the file).</summary>
public sealed record ImportOptions(string ProjectId, ImportMode Mode, bool Atomic, bool ValidateOnly, int PreviewRows, string? NamingPattern)
{
    public const int DefaultPreviewRows = 10;
    public const int MaxPreviewRows = 100;

    private static readonly string[] FieldNames = ["file", "project_id", "naming_pattern", "validate_only", "mode", "atomic", "preview_rows"];

    /// <summary>Reads the form's fields; the file is checked by the caller. Null with the problems added.</summary>
    public static ImportOptions? Read(IFormCollection form, ValidationProblems problems)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in form)
        {
            var field = JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
            if (!FieldNames.Contains(field))
            {
                problems.Add(Quote.Name(name), $"Unknown field {Quote.Of(name)}{Spelling.Hint(Spelling.Nearest(name, FieldNames))}", ErrorCodes.UnknownField);
            }
            else if (value.Count != 1 || !values.TryAdd(field, value.ToString()))
            {
                problems.Add(field, $"Field '{field}' is given more than once", ErrorCodes.DuplicateValue);
            }
        }

        foreach (var file in form.Files)
        {
            if (JsonNamingPolicy.SnakeCaseLower.ConvertName(file.Name) != "file")
            {
                problems.Add(Quote.Name(file.Name), $"Unknown file field {Quote.Of(file.Name)}; send the CSV as 'file'", ErrorCodes.UnknownField);
            }
        }

        if (form.Files.Count(f => f.Name == "file") > 1)
        {
            problems.Add("file", "One file per import", ErrorCodes.DuplicateValue);
        }

        var projectId = values.GetValueOrDefault("project_id");
        if (string.IsNullOrEmpty(projectId))
        {
            problems.Required("project_id");
        }

        var mode = values.GetValueOrDefault("mode") switch
        {
            null or "create" => ImportMode.Create,
            "upsert" => ImportMode.Upsert,
            "skip_existing" => ImportMode.SkipExisting,
            var other => Refuse<ImportMode>("mode", $"Mode {Quote.Of(other)} is not one of: create, upsert, skip_existing"),
        };
        var atomic = Flag("atomic");
        var validateOnly = Flag("validate_only");
        var previewRows = DefaultPreviewRows;
        if (values.GetValueOrDefault("preview_rows") is { } rows
            && (!int.TryParse(rows, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out previewRows) || previewRows > MaxPreviewRows))
        {
            problems.Add("preview_rows", $"preview_rows must be a whole number from 0 to {MaxPreviewRows}", ErrorCodes.OutOfRange);
        }

        var naming = values.GetValueOrDefault("naming_pattern");
        problems.MaxLength("naming_pattern", naming, 64);
        problems.MaxLength("project_id", projectId, InputLimits.ProjectIdLength);
        return problems.Any ? null : new ImportOptions(projectId!, mode, atomic, validateOnly, previewRows, string.IsNullOrEmpty(naming) ? null : naming);

        bool Flag(string field) => values.GetValueOrDefault(field)?.ToLowerInvariant() switch
        {
            null or "false" or "0" => false,
            "true" or "1" => true,
            _ => Refuse<bool>(field, $"Field '{field}' must be true or false"),
        };

        T Refuse<T>(string field, string message)
        {
            problems.Add(field, message, ErrorCodes.InvalidValue);
            return default!;
        }
    }
}
