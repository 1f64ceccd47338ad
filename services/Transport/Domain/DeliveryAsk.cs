namespace Remarketing.Transport.Domain;

public sealed record DeliveryAsk(string RequestId, string OrderId);
