namespace Montu.Server.Tests.Features.Directories;

/// <summary>
/// The server with a projects root: <see cref="Root"/>, inside a temp folder of its own
/// (<see cref="Parent"/>) that a test lists to see that nothing was made beside the root.
/// </summary>
public sealed class ProjectsRootApp : TestApp
{
    public ProjectsRootApp()
    {
        Parent = Directory.CreateTempSubdirectory("montu-dirs-").FullName;
        Root = Directory.CreateDirectory(Path.Combine(Parent, "root")).FullName;
        Settings["MONTU_PROJECTS_ROOT"] = Root;
    }

    public string Parent { get; }

    public string Root { get; }

    /// <summary>Every file, folder and link under <see cref="Parent"/>, relative to it.</summary>
    public List<string> Everything() =>
        Directory.EnumerateFileSystemEntries(Parent, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => Path.GetRelativePath(Parent, p)).Order(StringComparer.Ordinal).ToList();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(Parent, recursive: true);
    }
}
