using System.Net;
using Dapper;

namespace Montu.Server.Tests.Features.Media;

/// <summary>Reviewing a version moves its task, in the same transaction, as the project maps it.</summary>
public abstract class MediaApprovalTests<TApp>(TApp app) where TApp : TestApp
{
    private static readonly string[] StatusesWithoutApproved = ["not_started", "in_progress", "pending_review", "on_hold"];

    private readonly HttpClient _admin = app.Client;

    private async Task<(string Project, string Task, string Media)> VersionAsync()
    {
        var project = await _admin.CreateProject();
        var task = (await _admin.CreateTask(TaskBuilders.NamedTask(project, $"{project}_review", ("status", "pending_review")))).Str("id");
        return (project, task, (await _admin.UploadPng(task)).Str("id"));
    }

    private static Task<HttpResponseMessage> Review(HttpClient client, string media, object body) => client.PostJson($"/api/v1/media/{media}/approve", body);

    [StorageTheory]
    [InlineData("approved", "approved")]
    [InlineData("rejected", "needs_revision")]
    [InlineData("needs_revision", "needs_revision")]
    [InlineData("pending", "pending_review")]
    public async Task A_review_sets_the_media_and_moves_its_task(string approval, string taskStatus)
    {
        var (_, task, media) = await VersionAsync();
        var supervisor = await app.CreateUser((await _admin.GetTask(task)).Str("projectId"), "supervisor");
        // Processing moves the revision too (1 → 2): wait for it so the review's own step is the next one.
        await _admin.UntilProcessedAsync(media);

        var reviewed = await (await Review(supervisor.Client, media, new { approvalStatus = approval, reviewNotes = "Grain too strong" })).Expect(HttpStatusCode.OK);

        Assert.Equal((approval, supervisor.Id, "Grain too strong", 3), (reviewed.Str("approvalStatus"), reviewed.Str("reviewedBy"), reviewed.Str("reviewNotes"), reviewed.GetProperty("revision").GetInt32()));
        Assert.Equal(System.Text.Json.JsonValueKind.String, reviewed.GetProperty("reviewedAt").ValueKind);
        Assert.Equal(taskStatus, (await _admin.GetTask(task)).Str("status"));
    }

    [StorageFact]
    public async Task A_review_writes_media_approved_after_the_tasks_own_event()
    {
        var (_, task, media) = await VersionAsync();

        await (await Review(_admin, media, new { approval_status = "approved" })).Expect(HttpStatusCode.OK);

        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        var events = (await connection.QueryAsync<(string Type, string EntityId)>(
            "SELECT type, entity_id FROM events WHERE entity_id IN (@task, @media) AND type <> 'media_processed' ORDER BY seq", new { task, media })).ToList();
        Assert.Equal([("task_created", task), ("media_uploaded", media), ("task_updated", task), ("media_approved", media)], events);
    }

    [StorageFact]
    public async Task The_projects_approval_status_map_decides_the_task_status()
    {
        var (project, task, media) = await VersionAsync();
        await (await _admin.PatchJson($"/api/v1/projects/{project}", new { approvalStatusMap = new { approved = "completed" } })).Expect(HttpStatusCode.OK);

        await (await Review(_admin, media, new { approvalStatus = "approved" })).Expect(HttpStatusCode.OK);

        Assert.Equal("completed", (await _admin.GetTask(task)).Str("status"));
    }

    [StorageFact]
    public async Task A_mapped_status_the_project_does_not_have_is_refused_when_saved_and_when_reviewing()
    {
        var (project, task, media) = await VersionAsync();
        var saved = await (await _admin.PatchJson($"/api/v1/projects/{project}", new { approvalStatusMap = new { approved = "shipped" } }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await (await _admin.PatchJson($"/api/v1/projects/{project}", new { taskStatuses = StatusesWithoutApproved }))
            .Expect(HttpStatusCode.OK);

        var refused = await (await Review(_admin, media, new { approvalStatus = "approved" })).ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");

        Assert.Equal(["approvalStatusMap.approved"], saved.Fields());
        Assert.Contains("approvalStatusMap", refused.Str("message"));
        Assert.Equal("pending", (await (await _admin.GetAsync($"/api/v1/media/{media}")).Json()).Str("approvalStatus"));
        Assert.Equal("pending_review", (await _admin.GetTask(task)).Str("status"));
    }

    [StorageTheory]
    [InlineData("director", HttpStatusCode.OK)]
    [InlineData("producer", HttpStatusCode.OK)]
    [InlineData("artist", HttpStatusCode.Forbidden)]
    [InlineData("client", HttpStatusCode.Forbidden)]
    public async Task Only_reviewers_review(string role, HttpStatusCode expected)
    {
        var (project, _, media) = await VersionAsync();
        var member = await app.CreateUser(project, role);

        var response = await Review(member.Client, media, new { approvalStatus = "approved" });

        Assert.Equal(expected, response.StatusCode);
    }

    [StorageFact]
    public async Task A_v2_reviewer_field_must_name_the_caller()
    {
        var (project, _, media) = await VersionAsync();
        var supervisor = await app.CreateUser(project, "supervisor");

        await (await Review(supervisor.Client, media, new { approval_status = "approved", reviewer = supervisor.Email.Split('@')[0] })).Expect(HttpStatusCode.OK);
        var other = await (await Review(supervisor.Client, media, new { approval_status = "approved", reviewer = "supervisor_user" })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var bad = await (await Review(supervisor.Client, media, new { approvalStatus = "lovely" })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["reviewer"], other.Fields());
        Assert.Equal(["approvalStatus"], bad.Fields());
    }

    [StorageFact]
    public async Task Reviewing_a_reference_file_moves_no_task()
    {
        var project = await _admin.CreateProject();
        var media = (await (await _admin.PostMedia("brief.pdf", MediaBuilders.Text("%PDF-1.4"), ("project_id", project))).Expect(HttpStatusCode.Created)).Str("id");

        var reviewed = await (await Review(_admin, media, new { approvalStatus = "rejected" })).Expect(HttpStatusCode.OK);

        Assert.Equal("rejected", reviewed.Str("approvalStatus"));
    }
}

public sealed class LocalMediaApprovalTests(TestApp app) : MediaApprovalTests<TestApp>(app), IClassFixture<TestApp>;

public sealed class S3MediaApprovalTests(S3TestApp app) : MediaApprovalTests<S3TestApp>(app), IClassFixture<S3TestApp>;
