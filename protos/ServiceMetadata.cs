using Grpc.Core;

namespace Remarketing.Contracts;

public static class ServiceMetadata
{
    /// <summary>
    /// <paramref name="headers"/> with <see cref="ContractCatalog.ServiceHeader"/> naming
    /// <paramref name="service"/>, for an operation every service serves for itself (the hand-offs)
    /// called through the gateway.
    /// </summary>
    public static Metadata For(string service, Metadata? headers = null)
    {
        var with = new Metadata();
        foreach (var entry in headers ?? [])
            with.Add(entry);
        with.Add(ContractCatalog.ServiceHeader, service);
        return with;
    }
}
