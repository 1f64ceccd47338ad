namespace Remarketing.Quote.Domain;

/// <summary>The state of a lease account. Stored by member name.</summary>
public enum AccountStatus
{
    Active,
    InTermination,
    Closed,
}
