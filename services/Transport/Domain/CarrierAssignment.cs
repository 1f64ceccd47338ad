namespace Remarketing.Transport.Domain;

/// <param name="CarrierId">The carrier to assign: named by the remarketing center; empty or its own id for a transporter.</param>
public sealed record CarrierAssignment(string RequestId, string OrderId, string CarrierId);
