using System.Net;

namespace Montu.Server.Tests.Infrastructure;

/// <summary>The steps of the document walk for the breakdown: episodes, sequences, shots, assets, order and casting.</summary>
public sealed partial class OpenApiContractTests
{
    private async Task Breakdown(string projectId, TestUser member)
    {
        var viewer = await app.CreateUser(projectId, "viewer");
        var key = projectId.ToLowerInvariant();
        await app.Client.CreateTask(TaskBuilders.ShotTask(projectId, $"{key}e", "sq", "sh1"));
        foreach (var (collection, name, body) in new (string, string, object)[]
        {
            ("episodes", "Episode", new { projectId, episode = $"{key}x", description = "Pilot" }),
            ("sequences", "Sequence", new { projectId, episode = $"{key}x", sequence = "sq" }),
            ("shots", "Shot", new { projectId, episode = $"{key}x", sequence = "sq", shot = "sh", frameIn = 1001, frameOut = 1100, fps = 24 }),
            ("assets", "Asset", new { projectId, name = $"{key}robot", assetType = "character", generationProfile = new { prompt = "a robot" } }),
        })
        {
            var list = $"/api/v1/{collection}";
            var one = $"{list}/{{{name.ToLowerInvariant()}Id}}";
            var created = await Call(app.Client, Post, list, list, HttpStatusCode.Created, body);
            await Call(app.Client, Post, list, list, HttpStatusCode.Conflict, body);
            await Call(app.Client, Post, list, list, HttpStatusCode.BadRequest, new { projectId });
            await Call(viewer.Client, Post, list, list, HttpStatusCode.Forbidden, body);
            await Call(member.Client, Get, list, $"{list}?project_id={projectId}&search=x&page_size=2", HttpStatusCode.OK);
            await Call(app.Client, Get, list, $"{list}?cursor=junk", HttpStatusCode.BadRequest);
            await Call(member.Client, Get, list, $"{list}?project_id=NOPE", HttpStatusCode.NotFound);
            var url = $"{list}/{created.Str("id")}";
            await Call(member.Client, Get, one, url, HttpStatusCode.OK);
            await Call(member.Client, Get, one, $"{list}/nope", HttpStatusCode.NotFound);
            await Call(app.Client, Patch, one, url, HttpStatusCode.OK, new { description = "Changed" });
            await Call(app.Client, Patch, one, url, HttpStatusCode.BadRequest, new { status = "archived" });
            await Call(app.Client, Patch, one, url, HttpStatusCode.PreconditionFailed, new { description = "Late" }, "application/json", ("If-Match", "\"1\""));
            await Call(viewer.Client, Patch, one, url, HttpStatusCode.Forbidden, new { description = "No" });
            await Call(viewer.Client, Delete, one, url, HttpStatusCode.Forbidden);
            await Call(app.Client, Delete, one, $"{url}?force=perhaps", HttpStatusCode.BadRequest);
            await Call(app.Client, Delete, one, url, HttpStatusCode.OK);
        }

        const string shotOne = "/api/v1/shots/{shotId}", tasks = "/api/v1/shots/{shotId}/tasks", casting = "/api/v1/shots/{shotId}/casting";
        const string assetCasting = "/api/v1/assets/{assetId}/casting", order = "/api/v1/sequences/{sequenceId}/order";
        var shot = $"/api/v1/shots/{key}e_sq_sh1";
        await Call(member.Client, Get, tasks, $"{shot}/tasks", HttpStatusCode.OK);
        await Call(member.Client, Get, tasks, "/api/v1/shots/nope/tasks", HttpStatusCode.NotFound);
        await Call(app.Client, Put, casting, $"{shot}/casting", HttpStatusCode.OK, new { assetIds = (string[])[$"{key}robot"] });
        await Call(app.Client, Put, casting, $"{shot}/casting", HttpStatusCode.BadRequest, new { assetIds = (string[])["nope"] });
        await Call(viewer.Client, Put, casting, $"{shot}/casting", HttpStatusCode.Forbidden, new { assetIds = (string[])[] });
        await Call(member.Client, Get, assetCasting, $"/api/v1/assets/{key}robot/casting", HttpStatusCode.OK);
        await Call(member.Client, Get, assetCasting, "/api/v1/assets/nope/casting", HttpStatusCode.NotFound);
        await Call(app.Client, Put, order, $"/api/v1/sequences/{key}e_sq/order", HttpStatusCode.OK, new { shotIds = (string[])[$"{key}e_sq_sh1"] });
        await Call(app.Client, Put, order, $"/api/v1/sequences/{key}e_sq/order", HttpStatusCode.BadRequest, new { shotIds = (string[])[] });
        await Call(viewer.Client, Put, order, $"/api/v1/sequences/{key}e_sq/order", HttpStatusCode.Forbidden, new { shotIds = (string[])[] });
        await Call(app.Client, Delete, shotOne, shot, HttpStatusCode.UnprocessableEntity);
        await Call(app.Client, Delete, shotOne, $"{shot}?force=true", HttpStatusCode.OK);
    }
}
