using Kuberollouttrigger.Common.Settings;

namespace Kuberollouttrigger.UnitTests.Settings;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5h", 5400)]
    [InlineData("24h", 86400)]
    [InlineData("00:10:00", 600)]
    [InlineData("0s", 0)]
    [InlineData("0", 0)]
    public void Reads_Go_style_and_clock_durations(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("5d")]
    [InlineData("-5s")]
    [InlineData("10 minutes")]
    [InlineData("0m0")]
    [InlineData("s")]
    public void Refuses_what_is_not_a_duration(string text) => Assert.Null(Durations.Parse(text));
}
