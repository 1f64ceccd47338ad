using System.Globalization;
using Remarketing.ServiceDefaults.Errors;

namespace Remarketing.ServiceDefaults.Storage;

/// <summary>The list operations' paging (common.v1.PageRequest): a size of 1-200 (0 = 50), and a token that is a position the service gave out.</summary>
public static class Paging
{
    public const int DefaultSize = 50;
    public const int MaximumSize = 200;

    public static int Size(int pageSize) => pageSize switch
    {
        0 => DefaultSize,
        < 0 or > MaximumSize => throw DomainException.InvalidArgument($"page_size must be between 1 and {MaximumSize} (0 means {DefaultSize})"),
        _ => pageSize,
    };

    public static int Offset(string pageToken) =>
        pageToken.Length == 0 ? 0
        : int.TryParse(pageToken, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset
        : throw DomainException.InvalidArgument("page_token is not one this service gave out; pass next_page_token as it came");
}
