namespace Remarketing.Quote.Domain;

/// <summary>Before the maturity date a return is an early termination, on or after it a normal maturity. Stored by member name.</summary>
public enum Termination
{
    Early,
    NormalMaturity,
}
