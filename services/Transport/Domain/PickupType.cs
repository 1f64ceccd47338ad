namespace Remarketing.Transport.Domain;

public enum PickupType
{
    /// <summary>Sold: the buying dealer collects against its proof of sale.</summary>
    Buyer,

    /// <summary>Unsold or not auction eligible: a carrier collects against its bill of lading.</summary>
    Transporter,
}
