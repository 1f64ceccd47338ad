namespace Remarketing.Transport.Domain;

/// <summary>A release the service refused: who tried, when and why, never the document that would have been right.</summary>
public sealed record RefusedRelease(string DealerId, DateTimeOffset At, string Reason);
