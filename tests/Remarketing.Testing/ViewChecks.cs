using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Remarketing.Contracts;

namespace Remarketing.Testing;

/// <summary>What of an answer lies outside a role's view (<see cref="CallerViews"/>), and every number in it.</summary>
public static class ViewChecks
{
    /// <summary>
    /// The path of every field set in <paramref name="message"/> (nested messages and repeated
    /// fields included) that <paramref name="view"/> does not show, or that sits in a message the
    /// view has no list for: "Quote.V1.LeaseAccount.terms.monthly_payment_cents".
    /// </summary>
    public static IEnumerable<string> Outside(CallerView view, IMessage message) => Outside(view, message, message.Descriptor.FullName);

    /// <summary>Every 64-bit integer anywhere in a message, nested messages and repeated fields included: where money is.</summary>
    public static IEnumerable<long> AllNumbers(IMessage message) =>
        SetFields(message).SelectMany(set => set.Values).SelectMany(value => value switch
        {
            long number => [number],
            IMessage nested => AllNumbers(nested),
            _ => Enumerable.Empty<long>(),
        });

    private static IEnumerable<string> Outside(CallerView view, IMessage message, string path)
    {
        var list = view.Of(message.Descriptor);
        foreach (var (field, values) in SetFields(message))
        {
            var at = $"{path}.{field.Name}";
            if (list is null)
            {
                yield return $"{at} (no view of {message.Descriptor.FullName} for {view.Role})";
                continue;
            }
            if (!list.Shows(field))
            {
                yield return at;
                continue;
            }
            foreach (var nested in values.OfType<IMessage>())
            {
                foreach (var inner in Outside(view, nested, at))
                    yield return inner;
            }
        }
    }

    /// <summary>Each field that holds something (not its default), with its values (one, or a repeated field's items).</summary>
    private static IEnumerable<(FieldDescriptor Field, IReadOnlyList<object> Values)> SetFields(IMessage message)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var value = field.Accessor.GetValue(message);
            IReadOnlyList<object> values = field.IsRepeated ? [.. ((IEnumerable)value).Cast<object>()] : value is null || IsDefault(value) ? [] : [value];
            if (values.Count > 0)
                yield return (field, values);
        }
    }

    private static bool IsDefault(object value) => value switch
    {
        string text => text.Length == 0,
        ByteString bytes => bytes.IsEmpty,
        IMessage => false,
        _ => value.Equals(Activator.CreateInstance(value.GetType())),
    };
}
