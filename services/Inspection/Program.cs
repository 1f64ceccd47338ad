using Remarketing.Inspection;
using Remarketing.ServiceDefaults;

ServiceProcess.Run<InspectionGrpcService>(args, builder => builder.AddInspection());
