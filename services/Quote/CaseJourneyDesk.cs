using Microsoft.Extensions.Options;
using Remarketing.Quote.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Storage;

namespace Remarketing.Quote;

/// <summary>
/// A case's journey through the other services: the steps they report (RecordCaseEvent), and
/// where a vehicle stands (GetCaseStatus) — the first thing the remarketing center asks.
/// </summary>
public sealed class CaseJourneyDesk(QuoteStore store, TimeProvider clock, IOptions<QuoteOptions> options)
{
    /// <summary>A step reported with a time this far ahead of the clock is refused (services' clocks agree closely).</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

    public async Task<CaseEventRecord> RecordAsync(Caller service, CaseEventReport report)
    {
        var step = report.Step ?? throw DomainException.InvalidArgument("step is required");
        if (!CaseJourney.IsReported(step))
            throw DomainException.InvalidArgument($"{step} is one of Quote's own steps: it is recorded when it happens, not reported");
        var at = report.At ?? throw DomainException.InvalidArgument("at is required: when the step happened, on the shared clock");
        if (at > clock.GetUtcNow() + ClockTolerance)
            throw DomainException.InvalidArgument($"at {at:O} is in the future on the shared clock");
        if (report.Detail.Length > options.Value.MaxEventDetailLength)
            throw DomainException.InvalidArgument($"detail is longer than {options.Value.MaxEventDetailLength} characters");
        var accountId = await store.AccountOfCaseAsync(report.CaseId);
        var recorded = new CaseEventRecord(step, at, report.Reference, report.Detail, service.Subject, report.DueBy);
        return await store.ChangeAsync(accountId, IdempotentRequest.Of("RecordCaseEvent", service, report.RequestId, report), stored =>
        {
            var account = stored ?? throw QuoteAccess.NoSuchCase(report.CaseId);
            var returnCase = account.Case(report.CaseId);
            if (at < returnCase.NotifiedAt)
                throw DomainException.InvalidArgument($"at {at:O} is before the return was notified ({returnCase.NotifiedAt:O})");
            // The same step of the same thing reported again (another request id) is the step already there.
            var existing = returnCase.Events.FirstOrDefault(known => known.Step == step && known.Reference == report.Reference && known.Source == service.Subject);
            return existing is not null
                ? new Decision<CaseEventRecord>(account, existing)
                : new Decision<CaseEventRecord>(account.WithCase(returnCase with { Events = [.. returnCase.Events, recorded] }), recorded);
        });
    }

    /// <summary>By case id, or account (its latest case), or VIN (the latest case of the account leasing it); exactly one of the three.</summary>
    public async Task<CaseStatusAnswer> StatusAsync(string caseId, string accountId, string vin)
    {
        var given = new[] { caseId, accountId, vin }.Count(value => !string.IsNullOrWhiteSpace(value));
        if (given != 1)
            throw DomainException.InvalidArgument("give exactly one of case_id, account_id and vin");
        if (!string.IsNullOrWhiteSpace(caseId))
        {
            var account = await store.GetAsync(await store.AccountOfCaseAsync(caseId));
            return CaseJourney.Status(account, account.Case(caseId));
        }
        var id = !string.IsNullOrWhiteSpace(accountId) ? accountId
            : await store.AccountOfVinAsync(vin.Trim().ToUpperInvariant()) ?? throw DomainException.NotFound($"no lease account for VIN {vin}");
        var leased = await store.GetAsync(id);
        return leased.LatestCase is { } latest
            ? CaseJourney.Status(leased, latest)
            : throw DomainException.NotFound($"lease account {id} has no return case yet");
    }
}
