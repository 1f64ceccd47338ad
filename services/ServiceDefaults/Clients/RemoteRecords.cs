using Grpc.Core;
using Remarketing.ServiceDefaults.Errors;

namespace Remarketing.ServiceDefaults.Clients;

/// <summary>Asking another service about one of its records before a record of ours names it (or, for Quote, takes it).</summary>
public static class RemoteRecords
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    /// <summary>
    /// What <paramref name="ask"/> answers (given a deadline); NotFound with <paramref name="none"/>
    /// if the other service holds no such record; FailedPrecondition in its words if it refuses;
    /// Unavailable if it cannot be asked, saying nothing was made.
    /// </summary>
    /// <param name="what">The record asked about, for the Unavailable message: "return case A-1-R1".</param>
    public static async Task<T> AskAsync<T>(Func<DateTime, Task<T>> ask, string none, string who, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await ask(DateTime.UtcNow + Deadline);
        }
        catch (RpcException exception) when (exception.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            throw DomainException.NotFound(none);
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.FailedPrecondition)
        {
            // The other service's refusal, in its own words: it names the record in the way.
            throw DomainException.FailedPrecondition(exception.Status.Detail);
        }
        catch (RpcException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable,
                $"{who} could not be asked about {what} ({exception.StatusCode}): nothing was made; try again with the same request id"));
        }
    }
}
