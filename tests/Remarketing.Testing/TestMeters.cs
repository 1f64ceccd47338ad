using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Remarketing.Testing;

/// <summary>
/// A meter factory of the test's own. Meters are process-wide by name, and tests that run beside
/// this one make meters of the same name; a listener that asks <see cref="Made"/> hears only this
/// test's instruments.
/// </summary>
public sealed class TestMeters : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public IMeterFactory Factory => _services.GetRequiredService<IMeterFactory>();

    public bool Made(Instrument instrument, string meterName) =>
        instrument.Meter.Name == meterName && ReferenceEquals(instrument.Meter.Scope, Factory);

    public void Dispose() => _services.Dispose();
}
