using System.Security.Cryptography;

namespace Remarketing.Transport.Domain;

/// <summary>The document a carrier collects a vehicle with: issued to one carrier, valid until it expires.</summary>
public sealed record BillOfLading(string Id, string CarrierId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>A bill of lading for <paramref name="carrierId"/>, its id 128 random bits: it cannot be guessed from any other.</summary>
    public static BillOfLading Issue(string carrierId, DateTimeOffset now, TimeSpan validity) =>
        new($"BOL-{Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}", carrierId, now, now + validity);

    public bool IsValidAt(DateTimeOffset now) => now < ExpiresAt;
}
