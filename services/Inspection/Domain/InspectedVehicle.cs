namespace Remarketing.Inspection.Domain;

public sealed record InspectedVehicle(string Vin, int ModelYear, string Make, string Model, string Trim);
