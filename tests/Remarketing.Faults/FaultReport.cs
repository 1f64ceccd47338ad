using Grpc.Core;

namespace Remarketing.Faults;

/// <summary>
/// What one fault did to the traffic: the drill passes when every count after Acknowledged is 0 and
/// every listing closed once. OtherStatuses: the first few refusals other than Unavailable, as the
/// client saw them (the call, the status, its detail). BidsResent: bids the gateway sent again on a
/// new stream to the Auction service because theirs broke, which no client sees.
/// </summary>
public sealed record FaultReport(
    string Fault, long Acknowledged, long Lost, long Duplicated, long Gaps, long StreamRepeats, int Resumes, int Silences,
    int Listings, int ClosedOnce, int OutcomesOnce, IReadOnlyDictionary<StatusCode, int> ClientStatuses, int Hangs, IReadOnlyList<string> OtherStatuses,
    long BidsResent)
{
    /// <summary>The fault reached the traffic: a client saw Unavailable, or the gateway sent bids again for it.</summary>
    public bool Felt => ClientStatuses.GetValueOrDefault(StatusCode.Unavailable) > 0 || BidsResent > 0;

    public bool Passed => Lost == 0 && Duplicated == 0 && Gaps == 0 && StreamRepeats == 0 && Hangs == 0
        && ClosedOnce == Listings && OutcomesOnce == Listings;

    public string Statuses => ClientStatuses.Count == 0 ? "none" : string.Join(", ", ClientStatuses.OrderBy(entry => entry.Key).Select(entry => $"{entry.Key} ×{entry.Value}"));
}
