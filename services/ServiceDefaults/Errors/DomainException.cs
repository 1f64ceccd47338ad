namespace Remarketing.ServiceDefaults.Errors;

/// <summary>
/// A rule refused a request. The message is shown to the caller as it is: write it for a
/// person who has to act on it ("bid at least $12,100.00"), never with internals.
/// </summary>
public sealed class DomainException(DomainErrorKind kind, string message) : Exception(message)
{
    public DomainErrorKind Kind { get; } = kind;

    public static DomainException InvalidArgument(string message) => new(DomainErrorKind.InvalidArgument, message);

    public static DomainException NotFound(string message) => new(DomainErrorKind.NotFound, message);

    public static DomainException AlreadyExists(string message) => new(DomainErrorKind.AlreadyExists, message);

    public static DomainException FailedPrecondition(string message) => new(DomainErrorKind.FailedPrecondition, message);

    public static DomainException PermissionDenied(string message) => new(DomainErrorKind.PermissionDenied, message);

    public static DomainException ResourceExhausted(string message) => new(DomainErrorKind.ResourceExhausted, message);
}
