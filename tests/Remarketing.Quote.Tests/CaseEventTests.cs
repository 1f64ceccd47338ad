using Google.Protobuf.WellKnownTypes;

namespace Remarketing.Quote.Tests;

/// <summary>RecordCaseEvent: the steps other services report on a case, and what it refuses.</summary>
[Collection(RedisCollection.Name)]
public sealed class CaseEventTests(RedisConnectionFixture redis)
{
    private static readonly Caller Inspection = new("inspection", RoleNames.Service);
    private readonly TestLeaseEnd _lease = new(redis.Connection);

    private RecordCaseEventRequest Step(string caseId) => new()
    {
        RequestId = TestLeaseEnd.NewRequestId(),
        CaseId = caseId,
        Step = CaseStep.InspectionScheduled,
        At = Timestamp.FromDateTimeOffset(_lease.Clock.GetUtcNow()),
        Reference = "IO-1",
        Detail = "inspection due in 3 days",
    };

    [Fact]
    public async Task RecordCaseEvent_KeepsTheStepOnce_AndRefusesBadInputChangingNothing()
    {
        var terms = await _lease.OpenNewAsync();
        var returned = await _lease.NotifyAsync(terms, _lease.Today, 25_000);

        var first = await _lease.Desk.RecordCaseEventAsync(Inspection, Step(returned.CaseId));
        var again = await _lease.Desk.RecordCaseEventAsync(Inspection, Step(returned.CaseId));
        var own = Step(returned.CaseId);
        own.Step = CaseStep.Settled;
        var noTime = Step(returned.CaseId);
        noTime.At = null;
        var future = Step(returned.CaseId);
        future.At = Timestamp.FromDateTimeOffset(_lease.Clock.GetUtcNow().AddHours(1));
        var beforeReturn = Step(returned.CaseId);
        beforeReturn.At = Timestamp.FromDateTimeOffset(_lease.Clock.GetUtcNow().AddDays(-1));
        var noStep = Step(returned.CaseId);
        noStep.Step = CaseStep.Unspecified;
        var longDetail = Step(returned.CaseId);
        longDetail.Detail = new string('x', 501);

        foreach (var bad in new[] { own, noTime, future, beforeReturn, noStep, longDetail })
            await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.Desk.RecordCaseEventAsync(Inspection, bad));
        await RefusedAsync(DomainErrorKind.NotFound, () => _lease.Desk.RecordCaseEventAsync(Inspection, Step("A-none-R1")));

        Assert.Equal(first, again);
        Assert.Single((await _lease.ReadAsync(terms)).Case(returned.CaseId).Events);
    }

    [Fact]
    public async Task ACasesHistory_OnlyGrows_TheUnsoldListingStays_OnceThePhysicalSaleIsRecorded()
    {
        var terms = await _lease.OpenNewAsync();
        var returned = await _lease.NotifyAsync(terms, _lease.Today, 25_000);
        await _lease.InspectAsync(returned.CaseId, 25_000);
        var unsold = new RecordAuctionResultRequest { RequestId = TestLeaseEnd.NewRequestId(), CaseId = returned.CaseId, ListingId = "L-SMART", Sold = false };
        await _lease.Desk.RecordAuctionResultAsync(new Caller("auction", RoleNames.Service), unsold);
        var before = await _lease.Desk.GetCaseStatusAsync(returned.CaseId);
        _lease.Clock.Advance(TimeSpan.FromDays(4));

        await _lease.Desk.RecordAuctionResultAsync(TestLeaseEnd.Center, new RecordAuctionResultRequest
        {
            RequestId = TestLeaseEnd.NewRequestId(), CaseId = returned.CaseId, ListingId = "PHYSICAL-LOT-7", Sold = true, SalePriceCents = 14_250_00,
        });
        var after = await _lease.Desk.GetCaseStatusAsync(returned.CaseId);

        Assert.Equal(before.Events.Select(step => (step.Step, step.Reference)), after.Events.Take(before.Events.Count).Select(step => (step.Step, step.Reference)));
        Assert.Contains(after.Events, step => (step.Step, step.Reference) == (CaseStep.Unsold, "L-SMART"));
        Assert.Contains(after.Events, step => (step.Step, step.Reference) == (CaseStep.Sold, "PHYSICAL-LOT-7"));
    }
}
