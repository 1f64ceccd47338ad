using Remarketing.Inspection;
using Remarketing.ServiceDefaults;

ServiceProcess.Run<InspectionGrpcService>(args, notBuiltYet: "the Inspection issue (inspection orders and condition reports), not filed yet");
