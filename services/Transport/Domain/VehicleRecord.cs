namespace Remarketing.Transport.Domain;

public sealed record VehicleRecord(string Vin, int ModelYear, string Make, string Model, string Trim);
