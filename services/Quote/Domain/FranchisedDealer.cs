namespace Remarketing.Quote.Domain;

/// <summary>A franchised dealer in the registry, with the makes it is authorized to sell or lease.</summary>
public sealed record DealerRecord(string DealerId, IReadOnlyList<string> Makes, DateTimeOffset RegisteredAt)
{
    public const int MaximumMakes = 50;

    public bool IsFranchisedFor(string make) => Makes.Contains(make.Trim(), StringComparer.OrdinalIgnoreCase);

    /// <summary>Why <paramref name="dealer"/> (null: not registered) may not take the return of a <paramref name="make"/>; null if it may.</summary>
    public static string? WhyNotAuthorized(DealerRecord? dealer, string dealerId, string make) => dealer switch
    {
        null => $"dealer {dealerId} is not in the dealer registry: a return is taken only by a franchised dealer authorized for the vehicle's make " +
            "(the remarketing center registers dealers with their makes)",
        _ when !dealer.IsFranchisedFor(make) => $"dealer {dealerId} is franchised for {string.Join(", ", dealer.Makes)}, not {make}: " +
            $"return the vehicle to a franchised {make} dealer",
        _ => null,
    };

    /// <summary>The makes as registered: trimmed, each once (ignoring case), in the order given; or the reason they are not acceptable.</summary>
    public static (IReadOnlyList<string> Makes, string? Problem) Normalized(IEnumerable<string> makes)
    {
        var trimmed = makes.Select(make => make.Trim()).ToList();
        if (trimmed.Count is 0 or > MaximumMakes)
            return ([], $"makes: give the 1-{MaximumMakes} makes the dealer is franchised for ({trimmed.Count} given)");
        if (trimmed.FirstOrDefault(make => make.Length is 0 or > 40) is { } bad)
            return ([], $"makes: '{bad}' is not a make (1-40 characters)");
        return (trimmed.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), null);
    }
}

/// <summary>The remarketing center registers a dealer with its makes.</summary>
public sealed record DealerRegistration(string RequestId, string DealerId, IReadOnlyList<string> Makes);
