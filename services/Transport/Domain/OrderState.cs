namespace Remarketing.Transport.Domain;

public enum OrderState
{
    /// <summary>A transporter pickup no carrier has taken yet.</summary>
    AwaitingCarrier,

    /// <summary>A buyer pickup, or a transporter pickup with its carrier assigned.</summary>
    ReadyForPickup,

    Released,
    Delivered,
}
