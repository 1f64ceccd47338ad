using System.Security.Cryptography;
using Google.Protobuf;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Quote;

/// <summary>A request that changes state: its id, scoped to the operation and the caller (role and subject), and what it asked.</summary>
public sealed record IdempotentRequest(string Operation, Caller Caller, string RequestId, IMessage Request)
{
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(Request.ToByteArray()));
}
