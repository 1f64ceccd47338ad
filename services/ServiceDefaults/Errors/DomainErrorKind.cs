namespace Remarketing.ServiceDefaults.Errors;

/// <summary>What kind of refusal a domain rule made; the interceptor maps each to one gRPC status.</summary>
public enum DomainErrorKind
{
    InvalidArgument,
    NotFound,
    AlreadyExists,
    FailedPrecondition,
    PermissionDenied,
    ResourceExhausted,
}
