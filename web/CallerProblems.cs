using Grpc.Core;

namespace Remarketing.Web;

/// <summary>What a refused call means for the page: the gateway's reason, and a sign-in again when the token no longer holds.</summary>
public static class CallerProblems
{
    /// <summary>The message to show for <paramref name="refused"/>; signs out first when the token was refused.</summary>
    public static async Task<string> DescribeAsync(this Session session, RpcException refused)
    {
        if (refused.StatusCode == StatusCode.Unauthenticated)
        {
            await session.SignOutAsync($"Your sign-in has expired or was refused ({refused.Status.Detail}): sign in again.");
            return "signed out";
        }
        return refused.StatusCode switch
        {
            StatusCode.Unavailable => $"The system is not reachable for a moment: {refused.Status.Detail}",
            _ => refused.Status.Detail.Length > 0 ? refused.Status.Detail : refused.StatusCode.ToString(),
        };
    }
}
