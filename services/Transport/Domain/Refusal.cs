using Remarketing.ServiceDefaults.Errors;

namespace Remarketing.Transport.Domain;

/// <summary>A request refused after a look at the order: the status and message the caller gets, and what the order records of it.</summary>
/// <param name="Recorded">The reason kept on the order for the remarketing center; null when the attempt is not recorded.</param>
public sealed record Refusal(DomainErrorKind Kind, string Message, string? Recorded)
{
    public DomainException ToException() => new(Kind, Message);
}
