using Remarketing.ServiceDefaults.Errors;
using Xunit;

namespace Remarketing.Testing;

public static class Refusals
{
    /// <summary>Awaits a call the domain must refuse, and checks the kind of refusal.</summary>
    public static async Task<DomainException> RefusedAsync(DomainErrorKind kind, Func<Task> call)
    {
        var refusal = await Assert.ThrowsAsync<DomainException>(call);
        Assert.Equal(kind, refusal.Kind);
        return refusal;
    }
}
