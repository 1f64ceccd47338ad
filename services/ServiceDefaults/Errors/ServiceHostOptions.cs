namespace Remarketing.ServiceDefaults.Errors;

public sealed class ServiceHostOptions
{
    /// <summary>What an operation that is not built yet tells its caller, e.g. "the bidding engine (issue #3)".</summary>
    public string NotBuiltYet { get; set; } = "a later issue";
}
