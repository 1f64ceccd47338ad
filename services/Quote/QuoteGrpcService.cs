using Remarketing.Contracts.Quote.V1;

namespace Remarketing.Quote;

/// <summary>
/// The Quote service: lease accounts, return cases, quotes, extensions, settlement and letters.
/// Operations not overridden here answer Unimplemented (see Program.cs for where they come).
/// </summary>
public sealed class QuoteGrpcService : QuoteService.QuoteServiceBase;
