namespace Remarketing.ServiceDefaults.HandOffs;

/// <summary>The fields of an entry on an outbox stream (<see cref="Outbox"/>) and on its stream of failed hand-offs.</summary>
public static class HandOffField
{
    public const string Id = "id";
    public const string Operation = "op";
    public const string Body = "body";

    /// <summary>The W3C traceparent the delivery continues: the vehicle's journey, else the change that caused the hand-off.</summary>
    public const string TraceParent = "trace";

    /// <summary>The traceparent of the change that caused the hand-off, when it is not the journey's: a link of the delivery.</summary>
    public const string Cause = "cause";

    /// <summary>When it was written, real Unix ms.</summary>
    public const string WrittenAt = "at";

    /// <summary>The hand-offs that wait on this one (<see cref="HandOff.Then"/>), as JSON; absent when none do.</summary>
    public const string Then = "then";

    /// <summary>Failed hand-offs only: the last status the receiver answered, and how many attempts were made.</summary>
    public const string Error = "error";
    public const string Attempts = "attempts";
}
