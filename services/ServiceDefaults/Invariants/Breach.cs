namespace Remarketing.ServiceDefaults.Invariants;

/// <summary>One thing in a service's data that contradicts another: what it is about, and what is wrong, in words an operator acts on.</summary>
/// <param name="Subject">What it is about, e.g. "listing L-1a2b".</param>
/// <param name="Problem">What is wrong, e.g. "live but not in the closing index: it would never close".</param>
public sealed record Breach(string Subject, string Problem)
{
    public override string ToString() => $"{Subject}: {Problem}";
}
