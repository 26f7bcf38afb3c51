using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Montu.Server.Tests.Fuzz;

/// <summary>
/// The fuzz campaign over the OpenAPI document the server serves, run once for the test class.
/// For every operation: a fresh world, the valid request as the server admin (it must succeed),
/// then, as every role from anonymous up, the valid request again and mutations of it drawn from
/// a seeded random source; every response is checked against <see cref="FuzzRules"/>.
/// A role the valid request refuses gets a few mutations (they reach the access check only), as
/// do the signed-in roles on a public route (their token plays no part) and every role on a route
/// that hashes passwords; a role the valid request lets in gets every mutation once.
/// <para>
/// Reproducible: the seed is printed with every finding; <c>MONTU_FUZZ_SEED=n</c> runs with
/// another seed and <c>MONTU_FUZZ_OPERATION=UpdateTask</c> runs one operation's cases only,
/// the same cases it gets in the full run.
/// </para>
/// </summary>
public sealed class FuzzCampaign : TestApp
{
    public const int DefaultSeed = 20251202;

    private const int FewCases = 5;

    /// <summary>Most requests of these check or hash a password, which is slow by design (100 ms or more here).</summary>
    private static readonly HashSet<string> PasswordOperations = ["Login", "ChangePassword"];
    private const int PasswordCases = 2;

    private readonly List<Finding> _findings = [];
    private readonly Dictionary<string, int> _requests = [];
    private HttpClient _http = null!;
    private RSA? _signingKey;

    public FuzzCampaign()
    {
        // Thousands of requests a minute from one user are the point here, not abuse.
        Settings["RateLimits:Api:PermitLimit"] = "0";
        // A real server, so that paths reach it as written: an in-memory client normalizes dot segments away.
        Settings["urls"] = "http://127.0.0.1:0";
        UseKestrel();
        Seed = int.TryParse(Environment.GetEnvironmentVariable("MONTU_FUZZ_SEED"), CultureInfo.InvariantCulture, out var seed) ? seed : DefaultSeed;
        OnlyOperation = Environment.GetEnvironmentVariable("MONTU_FUZZ_OPERATION") is { Length: > 0 } only ? only : null;
    }

    public int Seed { get; }

    public string? OnlyOperation { get; }

    public IReadOnlyList<Finding> Findings => _findings;

    public IReadOnlyList<ApiOperation> Operations { get; private set; } = [];

    /// <summary>How many requests each operation got, by operation id.</summary>
    public IReadOnlyDictionary<string, int> Requests => _requests;

    public TimeSpan Elapsed { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var clock = Stopwatch.StartNew();
        _http = CreateClient();
        var document = await (await Client.GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);
        Operations = ApiOperations.Read(document);
        var cast = await FuzzCast.CreateAsync(this);
        foreach (var operation in Operations.Where(o => OnlyOperation is null || o.Id == OnlyOperation))
        {
            await RunAsync(operation, cast);
        }

        Elapsed = clock.Elapsed;
    }

    public override async Task DisposeAsync()
    {
        _signingKey?.Dispose();
        _http.Dispose();
        await base.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // Thousands of refused requests would flood the console; only failures are looked up, and
        // capturing every request's trace lines would cost more than the requests.
        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(Logs).AddFilter<CapturedLogs>(null, LogLevel.Warning));
    }

    private async Task RunAsync(ApiOperation operation, FuzzCast cast)
    {
        var world = await FuzzWorld.CreateAsync(Client, cast);
        var watch = await ChangeWatch.StartAsync(Db, world.ProjectId);
        var run = new Run(operation, world, cast, watch);
        var random = new Random(Seed ^ StableHash(operation.Id));
        _requests[operation.Id] = 0;

        await PrepareAsync(run);
        var admin = new ValidRequest(operation, world, cast, FuzzRole.ServerAdmin);
        var (firstStatus, firstBody, firstRequest) = await SendAsync(run, FuzzRole.ServerAdmin, "valid request", admin.ToRequest());
        if (firstStatus >= 300)
        {
            _findings.Add(new Finding(Rule.ValidRequestFails, operation, FuzzRole.ServerAdmin, "valid request", firstRequest, firstStatus, firstBody,
                "add or fix its fixture values in ValidRequests so that mutations reach the handler"));
        }

        // One deck of mutation kinds for all roles, dealt in turn: roles sent only a few still get different ones.
        var deck = Enumerable.Range(0, Mutations.For(admin).Count).ToArray();
        random.Shuffle(deck);
        var dealt = 0;
        var publicRoute = false;
        foreach (var role in Enum.GetValues<FuzzRole>())
        {
            await PrepareAsync(run);
            var valid = new ValidRequest(operation, world, cast, role);
            var status = (await SendAsync(run, role, "valid request", valid.ToRequest())).Status;
            publicRoute |= role == FuzzRole.Anonymous && status is not 401;
            var mutations = Mutations.For(valid);
            var few = status is 401 or 403 or 404 || (publicRoute && role != FuzzRole.Anonymous);
            var count = PasswordOperations.Contains(operation.Id) ? PasswordCases : few ? FewCases : mutations.Count;
            for (var i = 0; i < count; i++)
            {
                var mutation = mutations[deck[dealt++ % deck.Length]];
                await SendAsync(run, role, mutation.Kind, mutation.Make(random));
            }
        }
    }

    /// <summary>
    /// Puts back, before the server admin's first request and each role's turn, what the operation's valid request uses up (an archived
    /// project or task to restore, a member to remove, an upload's first bytes), so that every role reaches the handler.
    /// The server admin makes the change; the watch forgets it.
    /// </summary>
    private async Task PrepareAsync(Run run)
    {
        var world = run.World;
        if (run.Operation.Id == "DeleteMedia")
        {
            await world.UploadMediaAsync(Client);
            await run.Watch.NextAsync();
            return;
        }

        if (run.Operation.Id == "DeleteTimeLog")
        {
            await world.LogTimeAsync(Client);
            await run.Watch.NextAsync();
            return;
        }

        if (run.Operation.Id == "DeleteView")
        {
            await world.SaveViewAsync(Client);
            return;
        }

        if (run.Operation.Id == "RemoveTaskDependency")
        {
            await world.LinkTasksAsync(Client);
            await run.Watch.NextAsync();
            return;
        }

        if (run.Operation.Id is "AppendToUpload" or "TerminateUpload")
        {
            await world.StartUploadAsync(Client);
            return;
        }

        var prepared = run.Operation.Id switch
        {
            "RestoreProject" => await Client.DeleteAsync($"/api/v1/projects/{world.ProjectId}"),
            "RestoreTask" => await Client.DeleteAsync($"/api/v1/tasks/{world.ArchivedTaskId}"),
            "RemoveProjectMember" => await Client.PostJson($"/api/v1/projects/{world.ProjectId}/users", new { userId = world.VictimId, role = "artist" }),
            _ => null,
        };
        if (prepared is not null)
        {
            using (prepared)
            {
                Assert.True(prepared.IsSuccessStatusCode || prepared.StatusCode == HttpStatusCode.Conflict,
                    $"Preparing {run.Operation}: {(int)prepared.StatusCode} {await prepared.Content.ReadAsStringAsync()}");
            }

            await run.Watch.NextAsync();
        }
    }

    private async Task<(int Status, string Body, FuzzRequest Request)> SendAsync(Run run, FuzzRole role, string kind, FuzzRequest request)
    {
        using var message = request.ToMessage(_http.BaseAddress!, AccessToken(run, role));
        using var response = await _http.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        var changes = await run.Watch.NextAsync();
        var status = (int)response.StatusCode;
        _requests[run.Operation.Id]++;

        if (run.Operation.Id == "RefreshToken" && status == 200)
        {
            var tokens = JsonDocument.Parse(body).RootElement;
            run.Cast.RefreshToken = (tokens.TryGetProperty("refreshToken", out var token) ? token : tokens.GetProperty("refresh_token")).GetString()!;
        }

        var problems = FuzzRules.CheckResponse(run.Operation, request, response, body)
            .Concat(FuzzRules.CheckChanges(run.Operation, role, status, changes, run.World, run.Cast));
        foreach (var (rule, problem) in problems)
        {
            var detail = rule == Rule.ServerError ? $"{problem}; server log: {LastError()}" : problem;
            _findings.Add(new Finding(rule, run.Operation, role, kind, request, status, body, detail));
        }

        return (status, body, request);
    }

    /// <summary>The role's token; signing out gets a token of its own each time, so that it ends no session the campaign goes on using.</summary>
    private string? AccessToken(Run run, FuzzRole role)
    {
        if (run.Operation.Id != "Logout" || run.Cast.UserId(role) is not { } userId)
        {
            return run.Cast.AccessToken(role);
        }

        _signingKey ??= TestTokens.ServerKey(this);
        return TestTokens.Rs256(_signingKey, TestTokens.OwnClaims(userId));
    }

    private string LastError() =>
        Logs.Lines.LastOrDefault(l => l.Level >= LogLevel.Error).Text?.Split('\n').Take(3).Aggregate((a, b) => a + " | " + b.Trim()) ?? "(nothing logged)";

    /// <summary>FNV-1a: string hash codes differ between processes, and the seed of an operation must not.</summary>
    private static int StableHash(string text) =>
        (int)Encoding.UTF8.GetBytes(text).Aggregate(2166136261u, (hash, b) => (hash ^ b) * 16777619u);

    /// <summary>The campaign report of some findings: one line per class (operation, mutation, status), with one request to replay.</summary>
    public string Report(IReadOnlyList<Finding> findings)
    {
        var classes = findings.GroupBy(f => (f.Operation.Id, f.Kind, f.Status)).ToList();
        var report = new StringBuilder(
            $"{findings.Count} request(s) in {classes.Count} class(es) broke the rule (seed {Seed}; replay one operation with " +
            $"MONTU_FUZZ_SEED={Seed} MONTU_FUZZ_OPERATION=<operation id>):\n");
        foreach (var group in classes.Take(60))
        {
            var first = group.First();
            var roles = string.Join(", ", group.Select(f => f.Role).Distinct());
            report.Append($"- {first.Operation.Id} / {first.Kind} → {first.Status} ({group.Count()}×, as {roles}): {first.Problem}\n")
                .Append($"    ({first.Request.Mutation}) {first.Request.Describe()}\n")
                .Append($"    → {FuzzRequest.Shorten(first.Response, 300)}\n");
        }

        if (classes.Count > 60)
        {
            report.Append($"… and {classes.Count - 60} more class(es)\n");
        }

        return report.ToString();
    }

    private sealed record Run(ApiOperation Operation, FuzzWorld World, FuzzCast Cast, ChangeWatch Watch);
}
