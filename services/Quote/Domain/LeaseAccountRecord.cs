using Remarketing.Contracts.Quote.V1;

namespace Remarketing.Quote.Domain;

/// <summary>
/// One lease account and everything the lease end adds to it: extensions, return cases and
/// letters. It is stored whole, and every change replaces it whole (optimistic concurrency),
/// so one account never sees two changes interleave.
/// </summary>
public sealed record LeaseAccountRecord(LeaseTerms Terms, AccountState State, DateTimeOffset CreatedAt)
{
    public IReadOnlyList<ExtensionRecord> Extensions { get; init; } = [];

    public IReadOnlyList<ReturnCaseRecord> Cases { get; init; } = [];

    public IReadOnlyList<LetterRecord> Letters { get; init; } = [];

    public DateTimeOffset? ReturnKitSentAt { get; init; }

    public int ExtensionDays => Extensions.Sum(extension => extension.Days);

    public long ExtensionFeesCents => Extensions.Sum(extension => extension.FeeCents);

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

public sealed record ExtensionRecord(int Days, long FeeCents, DateOnly NewMaturityDate, DateTimeOffset GrantedAt);

public sealed record OdometerRecord(long Miles, bool SignedByLessee, DateTimeOffset RecordedAt);

public sealed record ReturnedItemsRecord(int Keys, int KeylessRemotes, bool OwnersManual, bool MaintenanceGuide, bool LeaseAgreementCopy, IReadOnlyList<string> MissingEquipment);

public sealed record WearItem(string Description, long ChargeCents);

public sealed record InspectionRecord(string ConditionReportId, long OdometerMiles, IReadOnlyList<WearItem> ExcessWear, DateTimeOffset InspectedAt);

public sealed record AuctionResultRecord(string ListingId, bool Sold, long SalePriceCents, DateTimeOffset ClosedAt);

public sealed record ReturnCaseRecord(
    string CaseId,
    string GroundingDealerId,
    string DealerState,
    DateOnly ReturnDate,
    TerminationType Termination,
    OdometerRecord Odometer,
    ReturnedItemsRecord ReturnedItems,
    ReturnDisposition Disposition,
    ReturnCaseState State,
    DateTimeOffset NotifiedAt)
{
    public DateTimeOffset? HoldUntil { get; init; }

    public string? ProofOfResaleId { get; init; }

    public InspectionRecord? Inspection { get; init; }

    public AuctionResultRecord? AuctionResult { get; init; }

    public bool IsEarlyTermination => Termination == TerminationType.Early;

    /// <summary>The reading charges are figured on: the inspector's once inspected, else the odometer statement.</summary>
    public long OdometerMiles => Inspection?.OdometerMiles ?? Odometer.Miles;

    public bool IsOpen => State is not (ReturnCaseState.Purchased or ReturnCaseState.Settled);
}

public sealed record LetterRecord(string LetterId, LetterKind Kind, DateTimeOffset Dated, IReadOnlyList<Line> Lines)
{
    public long TotalCents => Lines.Sum(line => line.AmountCents);
}

/// <summary>One line of a quote, settlement or letter. Positive: owed to the lender; negative: a credit to the lessee.</summary>
public sealed record Line(string Code, string Description, long AmountCents, bool Estimated = false);
