using Remarketing.ServiceDefaults.Errors;

namespace Remarketing.ServiceDefaults.Domain;

/// <summary>The ids callers give (request, case, order, listing ids): trimmed, 1-128 characters.</summary>
public static class Ids
{
    public const int MaximumLength = 128;

    /// <summary><paramref name="value"/> trimmed; InvalidArgument naming <paramref name="field"/> when it is empty or too long.</summary>
    public static string Required(string? value, string field)
    {
        var trimmed = (value ?? "").Trim();
        return trimmed.Length is > 0 and <= MaximumLength ? trimmed : throw DomainException.InvalidArgument($"{field} is required (at most {MaximumLength} characters)");
    }
}
