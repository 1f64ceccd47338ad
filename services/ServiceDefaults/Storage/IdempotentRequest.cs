using System.Security.Cryptography;
using System.Text.Json;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.ServiceDefaults.Storage;

/// <summary>A request that changes state: its id, scoped to the operation and the caller (role and subject), and a fingerprint of what it asked.</summary>
public sealed record IdempotentRequest(string Operation, Caller Caller, string RequestId, string Fingerprint)
{
    /// <summary>The request <paramref name="ask"/> makes, fingerprinted by its JSON form: a retry must ask the same. InvalidArgument without a request id.</summary>
    public static IdempotentRequest Of<TAsk>(string operation, Caller caller, string requestId, TAsk ask) =>
        string.IsNullOrWhiteSpace(requestId)
            ? throw DomainException.InvalidArgument("request_id is required (chosen by the caller; reuse it only to retry)")
            : new(operation, caller, requestId, Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(ask))));
}
