using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.ServiceDefaults.Limits;

/// <summary>
/// What any request message may hold, whatever the operation: ids and free text of bounded length,
/// repeated fields of bounded count, and Durations and Timestamps within the ranges protobuf defines
/// for them, and ids naming a caller written as ids are (<see cref="CallerIds"/>). Checked on every
/// request (and every message of a client stream) before a handler runs.
/// </summary>
public static class MessageLimits
{
    /// <summary>Ids (fields named *_id, vin, page_token): at most this many characters.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Free text (reasons, descriptions, locations): at most this many characters.</summary>
    public const int MaxTextLength = 2_000;

    /// <summary>Items in any repeated field.</summary>
    public const int MaxRepeatedCount = 200;

    /// <summary>Null when the message is within every limit; otherwise what is wrong, naming the field.</summary>
    public static string? Problem(IMessage message) => Problem(message, "");

    /// <summary>The most characters the string field may hold.</summary>
    public static int MaxLength(FieldDescriptor field) =>
        field.Name.EndsWith("_id", StringComparison.Ordinal) || field.Name is "vin" or "page_token" ? MaxIdLength : MaxTextLength;

    private static string? Problem(IMessage message, string prefix)
    {
        switch (message)
        {
            case Duration duration:
                return DurationInRange(duration) ? null : $"{prefix.TrimEnd('.')} is not a valid duration (seconds within ±315,576,000,000, nanos within ±999,999,999 and of the same sign)";
            case Timestamp timestamp:
                return timestamp.Seconds is >= -62_135_596_800 and <= 253_402_300_799 && timestamp.Nanos is >= 0 and < 1_000_000_000
                    ? null
                    : $"{prefix.TrimEnd('.')} is not a valid timestamp (years 0001-9999, nanos 0-999,999,999)";
        }

        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var name = prefix + field.Name;
            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                var items = ((IEnumerable)value).Cast<object>().ToList();
                if (items.Count > MaxRepeatedCount)
                    return $"{name} has {items.Count:N0} items; at most {MaxRepeatedCount} are accepted";
                for (var i = 0; i < items.Count; i++)
                {
                    if (ItemProblem(field, items[i], $"{name}[{i}]") is { } problem)
                        return problem;
                }
            }
            else if (value is not null && ItemProblem(field, value, name) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>Fields naming a caller (dealer_id, grounding_dealer_id, carrier_id …): written as the caller's token names it.</summary>
    public static bool NamesACaller(FieldDescriptor field) =>
        field.Name is "dealer_id" or "carrier_id" or "inspector_id" || field.Name.EndsWith("_dealer_id", StringComparison.Ordinal);

    private static string? ItemProblem(FieldDescriptor field, object value, string name) =>
        value switch
        {
            string text when text.Length > MaxLength(field) => $"{name} is {text.Length:N0} characters long; at most {MaxLength(field):N0} are accepted",
            string id when id.Length > 0 && NamesACaller(field) && CallerIds.Problem(id) is { } spelling => $"{name}: {spelling}",
            ByteString bytes when bytes.Length > MaxTextLength => $"{name} is {bytes.Length:N0} bytes long; at most {MaxTextLength:N0} are accepted",
            IMessage nested => Problem(nested, name + "."),
            _ => null,
        };

    private static bool DurationInRange(Duration duration) =>
        duration.Seconds is >= Duration.MinSeconds and <= Duration.MaxSeconds
        && duration.Nanos is > -Duration.NanosecondsPerSecond and < Duration.NanosecondsPerSecond
        && (duration.Seconds == 0 || duration.Nanos == 0 || (duration.Seconds < 0) == (duration.Nanos < 0));
}
