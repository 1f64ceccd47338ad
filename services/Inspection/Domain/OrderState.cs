namespace Remarketing.Inspection.Domain;

/// <summary>Where an inspection order stands. Stored by member name.</summary>
public enum OrderState
{
    /// <summary>Waiting for its inspection company to accept it.</summary>
    Open,
    Accepted,
    Reported,

    /// <summary>No third-party inspection where the vehicle stands: the remarketing center inspects it.</summary>
    RemarketingCenter,
}
