using System.Text.RegularExpressions;
using Montu.Server.Features.Demo;

namespace Montu.Server.Tests.Features.Demo;

public sealed partial class DemoShowTests
{
    private static readonly DateTime Day = new(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void The_show_has_65_shot_tasks_with_contract_ids()
    {
        var tasks = DemoShow.Tasks(Day);

        Assert.Equal(65, tasks.Count);
        Assert.Equal(65, tasks.Select(t => t.Id).Distinct().Count());
        Assert.All(tasks, t => Assert.Equal($"{t.Episode}_{t.Sequence}_{t.Shot}_{t.Task}".ToLowerInvariant(), t.Id));
        Assert.All(tasks, t => Assert.Matches(ShotId(), t.Id));
        Assert.Equal(["Ep00", "Ep01", "Ep02"], tasks.Select(t => t.Episode).Distinct());
        Assert.Contains(tasks, t => t.Id == "ep00_sq0010_sh0020_lighting");
    }

    [Fact]
    public void Values_come_from_the_SWA_vocabularies_and_vary()
    {
        var tasks = DemoShow.Tasks(Day);

        Assert.All(tasks, t => Assert.Contains(t.Task, DemoProjects.SkyWars.TaskTypes!));
        Assert.All(tasks, t => Assert.Contains(t.Milestone, DemoProjects.SkyWars.Milestones!));
        Assert.All(tasks, t => Assert.Contains(t.Priority, DemoProjects.SkyWars.PriorityLevels!));
        Assert.All(tasks, t => Assert.Contains(t.Status, Montu.Server.Features.Projects.ProjectRules.DefaultTaskStatuses));
        Assert.Equal(7, tasks.Select(t => t.Status).Distinct().Count());
        Assert.Equal(4, tasks.Select(t => t.Priority).Distinct().Count());
        Assert.True(tasks.Select(t => t.Artist).Distinct().Count() > 5);
    }

    [Fact]
    public void Frame_ranges_and_deadlines_are_plausible()
    {
        var tasks = DemoShow.Tasks(Day);

        Assert.All(tasks, t => Assert.Equal(1001, t.FrameStart));
        Assert.All(tasks, t => Assert.InRange(t.FrameEnd, 1100, 1199));
        Assert.All(tasks, t => Assert.Equal(DateTimeKind.Utc, t.Deadline.Kind));
        Assert.Contains(tasks, t => t.Deadline < Day);
        Assert.Contains(tasks, t => t.Deadline > Day);
    }

    [Fact]
    public void The_same_day_gives_the_same_show()
    {
        Assert.Equal(DemoShow.Tasks(Day), DemoShow.Tasks(Day));
    }

    [GeneratedRegex("^ep0[0-2]_sq[0-9]{4}_sh[0-9]{4}_[a-z]+$")]
    private static partial Regex ShotId();
}
