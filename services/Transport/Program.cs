using Remarketing.ServiceDefaults;
using Remarketing.Transport;

ServiceProcess.Run<TransportGrpcService>(args, notBuiltYet: "the Transport issue (pickups, bills of lading and release), not filed yet");
