using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Quote;

/// <summary>A request that changes state: its id, scoped to the operation and the caller (role and subject), and a fingerprint of what it asked.</summary>
public sealed record IdempotentRequest(string Operation, Caller Caller, string RequestId, string Fingerprint);
