using Remarketing.Simulator;

return await SimulatorCommand.InvokeAsync(args, Console.Out, Console.Error);
