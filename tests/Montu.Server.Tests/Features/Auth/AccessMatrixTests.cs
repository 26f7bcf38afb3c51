using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Infrastructure.Access;

namespace Montu.Server.Tests.Features.Auth;

/// <summary>
/// Access rules checked for every route the app maps, read from its own endpoint list, so a new
/// route is covered the day it is added. A route parameter this test cannot fill fails it with
/// the route's name: add a value for it to <see cref="RouteValues"/>.
/// </summary>
public sealed class AccessMatrixTests(TestApp app) : IClassFixture<TestApp>
{
    private static readonly string[] Writes = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    /// <summary>POSTs that read: a signed link grants what the caller may already read, for a limited time.</summary>
    private static readonly string[] ReadsByPost = ["CreateMediaLink", "GeneratePath", "GeneratePaths"];

    [Fact]
    public void Every_endpoint_declares_its_access()
    {
        var undeclared = Routes().Where(r => r.Rule is null).Select(r => r.Name).ToList();

        Assert.True(undeclared.Count == 0,
            "Declare access (AllowAnonymous, RequireSignedIn, RequireServerAdmin, RequireSelfOrServerAdmin, RequireProject) on:\n" + string.Join("\n", undeclared));
    }

    [Fact]
    public async Task Anonymous_callers_get_401_on_every_non_public_route()
    {
        var values = await RouteValues();
        var anonymous = app.Anonymous();
        var failures = new List<string>();
        foreach (var route in Routes().Where(r => r.Rule is not PublicRule))
        {
            await ExpectAsync(anonymous, route, values, HttpStatusCode.Unauthorized, "UNAUTHORIZED", failures);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Members_of_another_project_get_404_on_its_routes_and_403_on_admin_routes()
    {
        var values = await RouteValues();
        var outsider = await app.CreateUser(await app.Client.CreateProject(), "producer");
        var failures = new List<string>();
        foreach (var route in Routes())
        {
            var expected = route.Rule switch
            {
                ProjectRule or SelfOrServerAdminRule => (HttpStatusCode.NotFound, "NOT_FOUND"),
                ServerAdminRule => (HttpStatusCode.Forbidden, "FORBIDDEN"),
                _ => ((HttpStatusCode, string)?)null,
            };
            if (expected is { } status)
            {
                await ExpectAsync(outsider.Client, route, values, status.Item1, status.Item2, failures);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_viewer_gets_403_on_every_change_beyond_annotating_and_can_read()
    {
        var values = await RouteValues();
        var viewer = await app.CreateUser(values["projectId"], "viewer");
        var failures = new List<string>();
        foreach (var route in Routes())
        {
            var write = Writes.Contains(route.Method) && !ReadsByPost.Any(name => route.Name.EndsWith($"({name})", StringComparison.Ordinal));
            switch (route.Rule)
            {
                case ProjectRule project when write && project.Permission <= ProjectPermission.Read:
                    failures.Add($"{route.Name}: a {route.Method} should need more than Read");
                    break;
                case ProjectRule project when !ProjectRoles.Grants(ProjectRoles.Viewer, project.Permission):
                case ServerAdminRule:
                    await ExpectAsync(viewer.Client, route, values, HttpStatusCode.Forbidden, "FORBIDDEN", failures);
                    break;
                case ProjectRule when !write:
                    var response = await SendAsync(viewer.Client, route, values);
                    // A channel answers a plain request (access granted, but no upgrade) with 400; ChannelAccessTests upgrades.
                    // A read by POST is sent its project alone, so past the access check it asks for the rest of its body (400).
                    var granted = route.Pattern.RawText!.StartsWith("/ws/", StringComparison.Ordinal) || (route.Method == "POST" && route.Rule is ProjectRule { Resolver: BodyFieldResolver })
                        ? HttpStatusCode.BadRequest : HttpStatusCode.OK;
                    if (response.StatusCode != granted)
                    {
                        failures.Add($"{route.Name}: a viewer should read it, got {(int)response.StatusCode}");
                    }

                    break;
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_share_link_gets_401_on_every_route_not_opened_to_it()
    {
        var values = await RouteValues();
        var guest = app.WithToken(values["shareToken"]);
        var closed = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Where(e => e.Metadata.GetMetadata<ShareLinkRule>() is null).Select(e => e.DisplayName).ToHashSet();
        var failures = new List<string>();
        foreach (var route in Routes().Where(r => r.Rule is not PublicRule && closed.Contains(r.DisplayName)))
        {
            await ExpectAsync(guest, route, values, HttpStatusCode.Unauthorized, "UNAUTHORIZED", failures);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Values for route parameters, all pointing at project A's resources.</summary>
    private async Task<Dictionary<string, string>> RouteValues()
    {
        var projectId = await app.Client.CreateProject();
        var member = await app.CreateUser(projectId, "artist");
        var task = await app.Client.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_matrix"));
        var media = await app.Client.UntilProcessedAsync((await app.Client.UploadPng(task.Str("id"))).Str("id"));
        var upload = await app.Client.StartUpload(10, ("filename", "notes.txt"), ("task_id", task.Str("id")));
        var annotation = await app.Client.Annotate(new { mediaId = media.Str("id"), content = "matrix" });
        var playlist = (await app.Client.CreatePlaylist(projectId)).Str("id");
        var item = (await app.Client.AddItem(playlist, new { mediaId = media.Str("id") })).ItemOf(media.Str("id"));
        var share = await (await app.Client.PostJson($"/api/v1/playlists/{playlist}/share", new { allowAnnotations = true })).Expect(HttpStatusCode.Created);
        var import = await (await app.Client.PostAsync("/api/v1/tasks/import-csv-async", TaskImport.ImportBuilders.Form(projectId,
            TaskImport.ImportBuilders.Utf8("episode,sequence,shot,task\nep01,sq010,sh0010,animation\n"), ("validate_only", "true")))).Expect(HttpStatusCode.Accepted);
        var timeLog = await (await app.Client.PostJson($"/api/v1/tasks/{task.Str("id")}/time-logs", new { date = "2026-12-01", hours = 1 })).Expect(HttpStatusCode.Created);
        var prerequisite = await app.Client.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_matrix_first"));
        await (await app.Client.PostJson($"/api/v1/tasks/{task.Str("id")}/dependencies", new { dependsOn = prerequisite.Str("id") })).Expect(HttpStatusCode.Created);
        var view = await (await app.Client.PostJson("/api/v1/views", new { projectId, name = "Matrix", shared = true })).Expect(HttpStatusCode.Created);
        async Task<string> Breakdown(string collection) =>
            (await (await app.Client.GetAsync($"/api/v1/{collection}?project_id={projectId}")).Expect(HttpStatusCode.OK)).GetProperty("items")[0].Str("id");
        await (await app.Client.PostJson("/api/v1/assets", new { projectId, name = $"{projectId}_matrix" })).Expect(HttpStatusCode.Created);
        return new Dictionary<string, string>
        {
            ["episodeId"] = await Breakdown("episodes"),
            ["sequenceId"] = await Breakdown("sequences"),
            ["shotId"] = await Breakdown("shots"),
            ["assetId"] = await Breakdown("assets"),
            ["projectId"] = projectId,
            ["userId"] = member.Id,
            ["taskId"] = task.Str("id"),
            ["mediaId"] = media.Str("id"),
            ["mediaOrProjectId"] = media.Str("id"),
            ["uploadId"] = upload.Split('/')[^1],
            ["documentName"] = "v1",
            ["frame"] = "0",
            ["annotationId"] = annotation.Str("id"),
            ["playlistId"] = playlist,
            ["itemId"] = item,
            ["link"] = share.Str("id"),
            ["shareToken"] = share.Str("token"),
            ["version"] = "v001",
            ["jobId"] = import.Str("jobId"),
            ["timeLogId"] = timeLog.Str("id"),
            ["notificationId"] = "notif_matrix",
            ["dependsOnId"] = prerequisite.Str("id"),
            ["viewId"] = view.Str("id"),
        };
    }

    private IEnumerable<Route> Routes() =>
        from endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        from method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get]
        // Without a link, a route that takes signed links is its project rule (MediaLinkTests covers links).
        select new Route(endpoint.RoutePattern, method, Access.Declared(endpoint) is SignedLinkRule link ? link.Inner : Access.Declared(endpoint),
            $"{method} {endpoint.RoutePattern.RawText} ({endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? endpoint.DisplayName})", endpoint.DisplayName);

    private static async Task ExpectAsync(
        HttpClient client, Route route, Dictionary<string, string> values, HttpStatusCode status, string code, List<string> failures)
    {
        var response = await SendAsync(client, route, values);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != status || !body.Contains($"\"code\":\"{code}\"", StringComparison.Ordinal))
        {
            failures.Add($"{route.Name}: expected {(int)status} {code}, got {(int)response.StatusCode} {body}");
        }
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, Route route, Dictionary<string, string> values)
    {
        var request = new HttpRequestMessage(new HttpMethod(route.Method), Path(route, values));
        if (Writes.Contains(route.Method))
        {
            // A body naming project A, so routes finding their project in the body reach the access check.
            var body = route.Rule is ProjectRule { Resolver: BodyFieldResolver field }
                ? JsonSerializer.Serialize(new Dictionary<string, string> { [field.Field] = values["projectId"] })
                : "{}";
            request.Content = route.Rule is ProjectRule { Resolver: FormFieldResolver form }
                ? TaskImport.ImportBuilders.Form(values["projectId"], TaskImport.ImportBuilders.Utf8("task\n"))
                : new StringContent(body, Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request);
    }

    private static string Path(Route route, Dictionary<string, string> values) =>
        "/" + string.Join("/", route.Pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => values.TryGetValue(parameter.Name, out var value)
                ? Uri.EscapeDataString(value)
                : throw new InvalidOperationException($"{route.Name}: add a value for route parameter '{parameter.Name}' to AccessMatrixTests.RouteValues"),
            _ => "",
        }))));

    private sealed record Route(RoutePattern Pattern, string Method, AccessRule? Rule, string Name, string? DisplayName);
}
