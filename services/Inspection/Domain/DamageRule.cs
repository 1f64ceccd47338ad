namespace Remarketing.Inspection.Domain;

/// <summary>When one kind of damage is excess wear, and what it costs the lessee by severity.</summary>
public sealed class DamageRule
{
    /// <summary>Chargeable when larger than this (tenths of an inch); 0 = always chargeable.</summary>
    public int ChargeableOverTenthsInch { get; set; }

    /// <summary>What the size limit stands for, for the finding's explanation: "a credit card (3.4 in)".</summary>
    public string LimitDescription { get; set; } = "";

    public long MinorCents { get; set; }

    public long ModerateCents { get; set; }

    public long SevereCents { get; set; }

    public long ChargeFor(DamageSeverity severity) => severity switch
    {
        DamageSeverity.Minor => MinorCents,
        DamageSeverity.Moderate => ModerateCents,
        _ => SevereCents,
    };
}
