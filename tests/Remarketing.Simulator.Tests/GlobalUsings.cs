global using Remarketing.Simulator.Running;
global using Remarketing.Testing;
