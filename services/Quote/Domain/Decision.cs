namespace Remarketing.Quote.Domain;

/// <summary>What a change decided: the account as it is to be stored, the answer, and the side records to write with it.</summary>
public sealed record Decision<T>(LeaseAccountRecord Account, T Response)
{
    /// <summary>Written in the same transaction as the account.</summary>
    public IReadOnlyList<SideRecord> SideRecords { get; init; } = [];
}
