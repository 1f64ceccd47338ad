namespace Remarketing.Transport.Domain;

/// <param name="DocumentId">The document presented at the lot: a proof of sale or a bill of lading.</param>
public sealed record ReleaseAsk(string RequestId, string OrderId, string DocumentId);
