namespace Remarketing.ServiceDefaults;

public sealed class GrpcLimitsOptions
{
    public const string Section = "Grpc";

    /// <summary>Largest request message a service accepts; larger ones get ResourceExhausted.</summary>
    [System.ComponentModel.DataAnnotations.Range(1024, 16 * 1024 * 1024)]
    public int MaxReceiveMessageSize { get; set; } = 64 * 1024;
}
