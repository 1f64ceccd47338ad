using Google.Protobuf.WellKnownTypes;
using Remarketing.ServiceDefaults.Limits;

namespace Remarketing.Platform.Tests;

public class DurationsTests
{
    [Theory]
    [InlineData(0, -5, -1)]
    [InlineData(0, -100, -1)]
    [InlineData(0, -101, -2)]
    [InlineData(0, 5, 1)]
    [InlineData(0, 0, 0)]
    [InlineData(2, 300, 20_000_003)]
    [InlineData(-2, -300, -20_000_003)]
    public void ADuration_IsRoundedAwayFromZero_SoItsSignSurvives(long seconds, int nanos, long ticks) =>
        Assert.Equal(TimeSpan.FromTicks(ticks), new Duration { Seconds = seconds, Nanos = nanos }.ToTimeSpanAwayFromZero());
}
