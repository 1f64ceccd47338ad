namespace Remarketing.Simulator.Scenario;

/// <summary>A model as the market knows it: its sticker price and how much dealers want it used.</summary>
/// <param name="DemandBasisPoints">Used-market demand against the average: 10000 = average, 11500 = sought after.</param>
/// <param name="WmiPrefix">The VIN's first three characters (the maker's identifier).</param>
public sealed record CatalogModel(string Make, string Model, string Trim, long MsrpCents, int DemandBasisPoints, string WmiPrefix);

/// <summary>The makes and models the simulated lender leases, with the public used-market guide every buying dealer reads.</summary>
public static class VehicleCatalog
{
    public static IReadOnlyList<CatalogModel> Models { get; } =
    [
        new("Honda", "Accord", "EX-L", 34_500_00, 10_600, "1HG"),
        new("Honda", "CR-V", "EX", 33_900_00, 11_200, "2HK"),
        new("Toyota", "Camry", "SE", 31_200_00, 10_800, "4T1"),
        new("Toyota", "RAV4", "XLE", 34_800_00, 11_600, "2T3"),
        new("Ford", "F-150", "XLT", 52_400_00, 11_000, "1FT"),
        new("Ford", "Escape", "SE", 31_700_00, 8_600, "1FM"),
        new("Chevrolet", "Equinox", "LT", 30_900_00, 8_400, "2GN"),
        new("Chevrolet", "Silverado", "LT", 50_800_00, 10_500, "1GC"),
        new("Nissan", "Altima", "SV", 29_600_00, 8_000, "1N4"),
        new("Nissan", "Rogue", "SV", 32_100_00, 8_800, "5N1"),
        new("Hyundai", "Tucson", "SEL", 31_500_00, 9_400, "5NM"),
        new("Kia", "Telluride", "EX", 44_900_00, 11_800, "5XY"),
        new("BMW", "X3", "xDrive30i", 51_900_00, 9_200, "5UX"),
        new("Mercedes-Benz", "C-Class", "C 300", 48_600_00, 8_200, "W1K"),
        new("Jeep", "Grand Cherokee", "Limited", 49_300_00, 9_000, "1C4"),
        new("Subaru", "Outback", "Premium", 33_400_00, 10_400, "4S4"),
    ];

    public static IReadOnlyList<string> Makes { get; } = Models.Select(model => model.Make).Distinct().ToList();

    public static CatalogModel? Find(string make, string model) =>
        Models.FirstOrDefault(known => known.Make == make && known.Model == model);
}
