using System.Net;

namespace Montu.Server.Tests.Infrastructure;

/// <summary>Errors quote what the client sent, but at most a hundred characters of it.</summary>
public sealed class ErrorEchoTests(TestApp app) : IClassFixture<TestApp>
{
    private static readonly string Huge = new('x', 200_000);

    [Fact]
    public async Task A_huge_project_id_is_quoted_shortened_with_its_length()
    {
        var response = await app.Client.PostJson("/api/v1/tasks", new { projectId = Huge, type = "shot", task = "comp" });

        var error = await response.ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal($"Project '{new string('x', 100)}…' (200000 characters) not found", error.Str("message"));
        Assert.True(response.Content.Headers.ContentLength < 2_000, $"{response.Content.Headers.ContentLength} bytes");
    }

    [Fact]
    public async Task A_huge_unknown_key_is_named_shortened()
    {
        var user = await app.CreateUser();

        var response = await app.Client.PatchRaw($"/api/v1/users/{user.Id}", $$"""{"displayName": "n", "{{Huge}}": 1}""");

        var error = await response.ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.All(error.Fields(), field => Assert.True(field.Length <= 101, field));
        Assert.True(response.Content.Headers.ContentLength < 2_000, $"{response.Content.Headers.ContentLength} bytes");
    }

    [Fact]
    public async Task A_long_path_is_quoted_shortened_in_a_404()
    {
        var response = await app.Client.GetAsync("/api/v1/" + new string('y', 5_000));

        var error = await response.ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.EndsWith("…' (5008 characters)", error.Str("message"));
    }

    [Fact]
    public async Task Thousands_of_problems_are_listed_up_to_fifty()
    {
        var project = await app.Client.CreateProject();
        var members = Enumerable.Range(0, 400).Select(_ => new { role = "nope" }).ToList();

        var error = await (await app.Client.PostJson($"/api/v1/projects/{project}/users", members))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var details = error.GetProperty("details").EnumerateArray().ToList();
        Assert.Equal(51, details.Count);
        Assert.Matches("^[0-9]+ more problems not listed$", details[^1].Str("message"));
    }
}
