using System.Globalization;

namespace Remarketing.Inspection.Domain;

/// <summary>Who may be sold on SmartAuction, from configuration (Inspection:Eligibility). Every condition is explained, met or not.</summary>
public sealed class EligibilityRule
{
    public int MinimumGradeTenths { get; set; } = 20;

    public bool RefuseFrameDamage { get; set; } = true;

    public bool RefuseFloodDamage { get; set; } = true;

    public bool RequireClearTitle { get; set; } = true;

    public (bool Eligible, IReadOnlyList<string> Reasons) Decide(Observations seen, int gradeTenths)
    {
        var reasons = new List<string>();
        var eligible = true;
        void Check(bool met, string whenMet, string whenNot)
        {
            eligible &= met;
            reasons.Add(met ? whenMet : whenNot);
        }

        var grade = Grade(gradeTenths);
        var minimum = Grade(MinimumGradeTenths);
        Check(gradeTenths >= MinimumGradeTenths, $"grade {grade} is at least the minimum {minimum}", $"not eligible: grade {grade} is below the minimum {minimum}");
        if (RefuseFrameDamage)
            Check(!seen.FrameDamage, "no frame damage", "not eligible: frame damage");
        if (RefuseFloodDamage)
            Check(!seen.FloodDamage, "no flood damage", "not eligible: flood damage");
        if (RequireClearTitle)
            Check(!seen.TitleProblem, "title clear", "not eligible: the title has a problem");
        return (eligible, reasons);
    }

    public static string Grade(int tenths) => string.Create(CultureInfo.InvariantCulture, $"{tenths / 10.0:0.0}");
}
