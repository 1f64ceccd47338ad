namespace Remarketing.Transport.Domain;

/// <summary>
/// What a release request came to: the order released, or a refusal the order recorded. Either is
/// the request's answer, so a retry with the same request id gets it again.
/// </summary>
public sealed record ReleaseOutcome(OrderAnswer? Released, Refusal? Refused);
