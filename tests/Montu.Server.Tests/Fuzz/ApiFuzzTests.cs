using Xunit.Abstractions;

namespace Montu.Server.Tests.Fuzz;

/// <summary>
/// Every operation of the OpenAPI document, sent valid and mutated by every role
/// (<see cref="FuzzCampaign"/>); each test holds the campaign's responses to one rule and
/// lists, on failure, each class of request that broke it with one request to replay.
/// </summary>
public sealed class ApiFuzzTests(FuzzCampaign campaign, ITestOutputHelper output) : IClassFixture<FuzzCampaign>
{
    [Fact]
    public void The_campaign_sends_every_operation_of_the_document_as_every_role()
    {
        output.WriteLine($"Seed {campaign.Seed}: {campaign.Requests.Values.Sum()} requests over {campaign.Requests.Count} operations " +
            $"in {campaign.Elapsed.TotalSeconds:F1} s, {campaign.Findings.Count} finding(s)");
        var expected = campaign.Operations.Select(o => o.Id).Where(id => campaign.OnlyOperation is null || id == campaign.OnlyOperation).ToList();

        Assert.Contains("UpdateTask", campaign.Operations.Select(o => o.Id));
        Assert.All(expected, id => Assert.True(campaign.Requests.GetValueOrDefault(id) >= Enum.GetValues<FuzzRole>().Length * 3,
            $"{id}: {campaign.Requests.GetValueOrDefault(id)} requests"));
    }

    [Fact]
    public void Every_valid_request_succeeds_for_the_server_admin() => AssertKept(Rule.ValidRequestFails);

    [Fact]
    public void No_request_is_answered_with_a_server_error() => AssertKept(Rule.ServerError);

    [Fact]
    public void Every_response_carries_a_request_id() => AssertKept(Rule.NoRequestId);

    [Fact]
    public void Every_error_is_the_envelope_with_the_response_s_request_id() => AssertKept(Rule.NotTheEnvelope);

    [Fact]
    public void Error_bodies_stay_small_whatever_the_input() => AssertKept(Rule.OversizedError);

    [Fact]
    public void A_refused_request_or_a_read_changes_nothing() => AssertKept(Rule.ChangedByRefusal);

    [Fact]
    public void No_role_changes_what_it_may_not_write() => AssertKept(Rule.ChangedWithoutRight);

    private void AssertKept(Rule rule)
    {
        var broken = campaign.Findings.Where(f => f.Rule == rule).ToList();
        Assert.True(broken.Count == 0, campaign.Report(broken));
    }
}
