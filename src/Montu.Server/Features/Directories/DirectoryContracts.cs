using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.OpenApi;

namespace Montu.Server.Features.Directories;

/// <summary>Body of <c>POST /projects/{id}/directories</c>: the names to make folders for, and which templates.</summary>
public sealed record DirectoriesRequest
{
    [MaxLength(InputLimits.DirectoryNames), ItemMaxLength(InputLimits.NameLength)]
    public List<string?>? Episodes { get; init; }

    [MaxLength(InputLimits.DirectoryNames), ItemMaxLength(InputLimits.NameLength)]
    public List<string?>? Sequences { get; init; }

    [MaxLength(InputLimits.DirectoryNames), ItemMaxLength(InputLimits.NameLength)]
    public List<string?>? Shots { get; init; }

    [MaxLength(InputLimits.DirectoryNames), ItemMaxLength(InputLimits.NameLength)]
    public List<string?>? Assets { get; init; }

    [Description("Task types of the project, for {task}"), MaxLength(InputLimits.DirectoryNames), ItemMaxLength(InputLimits.NameLength)]
    public List<string?>? TaskTypes { get; init; }

    [Description("Names of the project's templates; left out: working_file, render_output and media_file, those the project has"),
     MaxLength(InputLimits.TemplatesCount), ItemMaxLength(InputLimits.TemplateNameLength)]
    public List<string?>? Templates { get; init; }

    [Description("true (the default): only list the directories; false: create them under the server's projects root")]
    public bool? DryRun { get; init; }
}

/// <summary>What <c>POST /projects/{id}/directories</c> listed or made.</summary>
public sealed record DirectoriesResult(
    bool DryRun,
    [property: Description("Every directory, as the templates give it with the project's drives (V:/SWA/...), sorted, each once")] IReadOnlyList<string> Directories,
    int Count,
    [property: Description("Of directories, those this request made; null on a dry run")] IReadOnlyList<string>? Created,
    [property: Description("Of directories, those that were there already; null on a dry run")] IReadOnlyList<string>? Existing,
    [property: Description("Templates that gave no directory, with why (a name list it needs was not given)")] IReadOnlyList<SkippedTemplate> Skipped);

public sealed record SkippedTemplate(string Template, string Reason);
