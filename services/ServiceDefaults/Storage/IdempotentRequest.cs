using System.Security.Cryptography;
using System.Text.Json;
using Remarketing.ServiceDefaults.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.ServiceDefaults.Storage;

/// <summary>A request that changes state: its id, scoped to the operation and the caller (role and subject), and a fingerprint of what it asked.</summary>
public sealed record IdempotentRequest(string Operation, Caller Caller, string RequestId, string Fingerprint)
{
    /// <summary>
    /// The request <paramref name="ask"/> makes, fingerprinted by its JSON form: a retry must ask the
    /// same. <paramref name="operation"/> is the operation's name; a method's name may be given, its
    /// "Async" suffix is dropped. InvalidArgument without a request id (or one over 128 characters).
    /// </summary>
    public static IdempotentRequest Of<TAsk>(string operation, Caller caller, string requestId, TAsk ask)
    {
        var id = (requestId ?? "").Trim();
        if (id.Length is 0 or > Ids.MaximumLength)
            throw DomainException.InvalidArgument($"request_id is required (at most {Ids.MaximumLength} characters, chosen by the caller; reuse it only to retry)");
        var name = operation.EndsWith("Async", StringComparison.Ordinal) ? operation[..^"Async".Length] : operation;
        return new(name, caller, id, Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(ask))));
    }
}
