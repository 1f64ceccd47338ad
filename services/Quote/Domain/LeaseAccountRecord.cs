namespace Remarketing.Quote.Domain;

/// <summary>
/// One lease account and everything the lease end adds to it: extensions, return cases and
/// letters. It is stored whole, and every change replaces it whole (optimistic concurrency),
/// so one account never sees two changes interleave.
/// </summary>
public sealed record LeaseAccountRecord(LeaseTerms Terms, AccountStatus State, DateTimeOffset CreatedAt)
{
    public IReadOnlyList<ExtensionRecord> Extensions { get; init; } = [];

    public IReadOnlyList<ReturnCaseRecord> Cases { get; init; } = [];

    public IReadOnlyList<LetterRecord> Letters { get; init; } = [];

    public DateTimeOffset? ReturnKitSentAt { get; init; }

    /// <summary>How the lease ended without a return (a lessee buyout, a total loss); null otherwise.</summary>
    public LeaseEndingRecord? Ending { get; init; }

    public int ExtensionDays => Extensions.Sum(extension => extension.Days);

    /// <summary>The maturity date moved by the extensions granted.</summary>
    public DateOnly ScheduledEndDate => Terms.MaturityDate.AddDays(ExtensionDays);

    public ReturnCaseRecord? LatestCase => Cases.Count > 0 ? Cases[^1] : null;

    public ReturnCaseRecord Case(string caseId) =>
        Cases.FirstOrDefault(candidate => candidate.CaseId == caseId)
        ?? throw new InvalidOperationException($"case {caseId} is indexed to account {Terms.AccountId} but not in it");

    public LeaseAccountRecord WithCase(ReturnCaseRecord changed) =>
        this with { Cases = Cases.Select(existing => existing.CaseId == changed.CaseId ? changed : existing).ToList() };

    public LeaseAccountRecord WithLetter(LetterRecord letter) =>
        Letters.Any(existing => existing.LetterId == letter.LetterId) ? this : this with { Letters = [.. Letters, letter] };
}
