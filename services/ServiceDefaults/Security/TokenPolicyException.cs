using Microsoft.IdentityModel.Tokens;

namespace Remarketing.ServiceDefaults.Security;

/// <summary>A token that verifies but breaks this system's rules (its signer may not vouch for it, it lives too long); the message says which.</summary>
public sealed class TokenPolicyException(string message) : SecurityTokenValidationException(message);
