using Remarketing.ServiceDefaults.Errors;

namespace Remarketing.Quote.Domain;

/// <summary>An odometer reading, checked the same way wherever one comes in.</summary>
public static class OdometerReading
{
    /// <summary>Null when <paramref name="miles"/> can be a reading (of this lease's vehicle, when given); otherwise what is wrong.</summary>
    public static string? Problem(long miles, LeaseTerms? lease = null)
    {
        if (miles < 0)
            return $"odometer {miles:N0} mi cannot be negative";
        if (miles > LeaseTerms.MaximumMiles)
            return $"odometer {miles:N0} mi is more than any vehicle shows ({LeaseTerms.MaximumMiles:N0})";
        if (lease is not null && miles < lease.StartingOdometerMiles)
        {
            return $"odometer {miles:N0} mi is below the lease's starting odometer ({lease.StartingOdometerMiles:N0} mi): " +
                "an odometer does not go backwards; check the reading";
        }
        return null;
    }

    /// <summary>InvalidArgument with the <see cref="Problem"/>, if there is one.</summary>
    public static void Check(long miles, LeaseTerms? lease = null)
    {
        if (Problem(miles, lease) is { } problem)
            throw DomainException.InvalidArgument(problem);
    }
}
