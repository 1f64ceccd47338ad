namespace Remarketing.Quote.Domain;

/// <summary>Used-vehicle retail financing: under N model years old and at most M miles at inception (the seeds: 10 and 120,000).</summary>
public static class RetailFinancing
{
    /// <summary>The conditions the vehicle fails, one line each; empty when it qualifies.</summary>
    public static IReadOnlyList<string> Failures(int modelYear, long odometerMiles, DateOnly inception, int maxModelYears, long maxOdometerMiles)
    {
        var failures = new List<string>();
        var age = inception.Year - modelYear;
        if (age >= maxModelYears)
            failures.Add($"a {modelYear} model is {age} model years old in {inception.Year}; it must be under {maxModelYears}");
        if (odometerMiles > maxOdometerMiles)
            failures.Add($"{odometerMiles:N0} miles is over the {maxOdometerMiles:N0} allowed at inception");
        return failures;
    }
}
