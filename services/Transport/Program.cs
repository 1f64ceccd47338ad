using Remarketing.ServiceDefaults;
using Remarketing.Transport;

ServiceProcess.Run<TransportGrpcService>(args, builder => builder.AddTransport());
