using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Google.Protobuf;
using Remarketing.Quote.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;
using StackExchange.Redis;

namespace Remarketing.Quote;

/// <summary>A request that changes state: its id, scoped to the operation and the caller (role and subject), and what it asked.</summary>
public sealed record IdempotentRequest(string Operation, Caller Caller, string RequestId, IMessage Request)
{
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(Request.ToByteArray()));
}
