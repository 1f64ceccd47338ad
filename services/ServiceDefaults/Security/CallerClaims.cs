namespace Remarketing.ServiceDefaults.Security;

public static class CallerClaims
{
    public const string Subject = "sub";
    public const string Role = "role";
}
