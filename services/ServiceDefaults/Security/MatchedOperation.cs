using Remarketing.Contracts;

namespace Remarketing.ServiceDefaults.Security;

/// <summary>What routing matched for a request: the one path it answers at, and the contract operation if it is one.</summary>
/// <param name="Path">The operation's path exactly as the contract spells it.</param>
/// <param name="Operation">Null for an operation open to anyone (health, reflection).</param>
public sealed record MatchedOperation(string Path, ContractOperation? Operation);
