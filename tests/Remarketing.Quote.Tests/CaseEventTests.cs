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
}
