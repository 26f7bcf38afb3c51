using System.Net;

namespace Montu.Server.Tests.Infrastructure;

/// <summary>The steps of the document walk for the task workflow: dependencies, the blocked filter and saved views.</summary>
public sealed partial class OpenApiContractTests
{
    private async Task Workflow(string projectId, TestUser member)
    {
        const string links = "/api/v1/tasks/{taskId}/dependencies", link = "/api/v1/tasks/{taskId}/dependencies/{dependsOnId}";
        const string views = "/api/v1/views", view = "/api/v1/views/{viewId}", tasks = "/api/v1/tasks";
        var admin = app.Client;
        var p = projectId.ToLowerInvariant();
        var first = (await admin.CreateTask(TaskBuilders.NamedTask(projectId, $"{p}_wf_first"))).Str("id");
        var second = (await admin.CreateTask(TaskBuilders.NamedTask(projectId, $"{p}_wf_second"))).Str("id");
        var url = $"/api/v1/tasks/{second}/dependencies";
        await Call(admin, Post, links, url, HttpStatusCode.Created, new { dependsOn = first, kind = "finish_to_start" });
        await Call(admin, Post, links, url, HttpStatusCode.OK, new { dependsOn = first });
        await Call(admin, Post, links, $"/api/v1/tasks/{first}/dependencies", HttpStatusCode.UnprocessableEntity, new { dependsOn = second });
        await Call(admin, Post, links, url, HttpStatusCode.BadRequest, new { dependsOn = second });
        await Call(member.Client, Post, links, url, HttpStatusCode.Forbidden, new { dependsOn = first });
        await Call(admin, Post, links, "/api/v1/tasks/nope/dependencies", HttpStatusCode.NotFound, new { dependsOn = first });
        await Call(admin, Get, links, url, HttpStatusCode.OK);
        await Call(admin, Get, links, "/api/v1/tasks/nope/dependencies", HttpStatusCode.NotFound);
        await Call(admin, Get, tasks, $"{tasks}?project_id={projectId}&blocked=true", HttpStatusCode.OK);
        await Call(admin, Get, tasks, $"{tasks}?blocked=perhaps", HttpStatusCode.BadRequest);
        await Call(member.Client, Delete, link, $"{url}/{first}", HttpStatusCode.Forbidden);
        await Call(admin, Delete, link, $"{url}/{first}", HttpStatusCode.NoContent);
        await Call(admin, Delete, link, $"{url}/{first}", HttpStatusCode.NotFound);

        var saved = await Call(admin, Post, views, views, HttpStatusCode.Created, new
        {
            projectId,
            name = "Blocked lighting",
            resource = "tasks",
            query = new { filters = new { task_type = "lighting", blocked = true }, sort = new { field = "deadline", order = "asc" }, columns = (string[])["id", "status"] },
            shared = true,
        });
        await Call(admin, Post, views, views, HttpStatusCode.BadRequest, new { projectId, name = "Bad", query = new { filters = new { colour = "red" } } });
        await Call(member.Client, Post, views, views, HttpStatusCode.Forbidden, new { projectId, name = "Loud", shared = true });
        await Call(member.Client, Post, views, views, HttpStatusCode.NotFound, new { projectId = "NOPE", name = "Elsewhere" });
        await Call(member.Client, Get, views, $"{views}?project_id={projectId}&page_size=5", HttpStatusCode.OK);
        await Call(member.Client, Get, views, $"{views}?page=0", HttpStatusCode.BadRequest);
        await Call(member.Client, Get, views, $"{views}?project_id=NOPE", HttpStatusCode.NotFound);
        var one = $"{views}/{saved.Str("id")}";
        await Call(member.Client, Get, view, one, HttpStatusCode.OK);
        await Call(member.Client, Get, view, $"{views}/view_nothing", HttpStatusCode.NotFound);
        await Call(admin, Get, tasks, $"{tasks}?view={saved.Str("id")}&status=not_started", HttpStatusCode.OK);
        await Call(admin, Get, tasks, $"{tasks}?view=view_nothing", HttpStatusCode.NotFound);
        await Call(admin, Patch, view, one, HttpStatusCode.OK, new { name = "Blocked", query = new { filters = new { blocked = "true" } } });
        await Call(admin, Patch, view, one, HttpStatusCode.BadRequest, new { name = "" });
        await Call(member.Client, Patch, view, one, HttpStatusCode.Forbidden, new { name = "Mine" });
        await Call(admin, Patch, view, $"{views}/view_nothing", HttpStatusCode.NotFound, new { name = "Nothing" });
        await Call(member.Client, Delete, view, one, HttpStatusCode.Forbidden);
        await Call(admin, Delete, view, one, HttpStatusCode.NoContent);
        await Call(admin, Delete, view, one, HttpStatusCode.NotFound);
    }
}
