namespace Remarketing.Quote.Domain;

/// <summary>
/// Something doubtful about a return case that the remarketing center decides on. The case goes
/// on meanwhile: a flag is raised where refusing would leave a vehicle that is already back with
/// nobody deciding about it.
/// </summary>
/// <param name="Code">What kind of doubt, e.g. <see cref="LateReturn"/>.</param>
/// <param name="Description">What is doubtful and what the center is to decide, for a person.</param>
public sealed record ReviewFlag(string Code, string Description, DateTimeOffset RaisedAt)
{
    /// <summary>Returned longer after the scheduled end than this system settles without review.</summary>
    public const string LateReturn = "late_return";
}
