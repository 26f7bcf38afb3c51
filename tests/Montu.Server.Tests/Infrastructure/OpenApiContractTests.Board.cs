using System.Net;

namespace Montu.Server.Tests.Infrastructure;

/// <summary>The board step of the document walk.</summary>
public sealed partial class OpenApiContractTests
{
    private async Task Board(string projectId, TestUser member)
    {
        const string board = "/api/v1/projects/{projectId}/board", move = "/api/v1/tasks/{taskId}/move";
        var first = (await app.Client.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_board_a"))).Str("id");
        var second = (await app.Client.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_board_b"))).Str("id");
        await Call(app.Client, Get, board, $"/api/v1/projects/{projectId}/board?group_by=status&per_column=1&search=board", HttpStatusCode.OK);
        await Call(member.Client, Get, board, $"/api/v1/projects/{projectId}/board?group_by=artist", HttpStatusCode.OK);
        await Call(app.Client, Get, board, $"/api/v1/projects/{projectId}/board?group_by=colour", HttpStatusCode.BadRequest);
        await Call(app.Client, Get, board, "/api/v1/projects/NOPE/board", HttpStatusCode.NotFound);
        await Call(app.Client, Post, move, $"/api/v1/tasks/{second}/move", HttpStatusCode.OK, new { status = "in_progress", before = first });
        await Call(app.Client, Post, move, $"/api/v1/tasks/{second}/move", HttpStatusCode.BadRequest, new { position = 1 });
        var third = (await app.Client.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_board_c"))).Str("id");
        await Call(app.Client, Post, move, $"/api/v1/tasks/{third}/move", HttpStatusCode.Conflict, new { after = first, before = second });
        await (await app.Client.DeleteAsync($"/api/v1/tasks/{third}")).Expect(HttpStatusCode.OK);
        await Call(app.Client, Post, move, $"/api/v1/tasks/{third}/move", HttpStatusCode.UnprocessableEntity, new { status = "in_progress" });
        await Call(member.Client, Post, move, $"/api/v1/tasks/{first}/move", HttpStatusCode.Forbidden, new { });
        await Call(app.Client, Post, move, "/api/v1/tasks/nope/move", HttpStatusCode.NotFound, new { });
    }
}
