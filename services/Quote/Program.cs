using Remarketing.Quote;
using Remarketing.ServiceDefaults;

ServiceProcess.Run<QuoteGrpcService>(args, builder => builder.AddQuote());
