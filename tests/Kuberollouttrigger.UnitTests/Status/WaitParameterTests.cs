using Kuberollouttrigger.Ingress.Status;
using Microsoft.Extensions.Primitives;

namespace Kuberollouttrigger.UnitTests.Status;

public sealed class WaitParameterTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("30", 30)]
    [InlineData("900", 900)]
    public void Whole_seconds_up_to_900_are_accepted(string value, int seconds) =>
        Assert.Equal((TimeSpan.FromSeconds(seconds), (string?)null), WaitParameter.Parse(new StringValues(value)));

    [Theory]
    [InlineData("901")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("1.5")]
    [InlineData(" 5")]
    [InlineData("")]
    [InlineData("ten")]
    [InlineData("99999999999999")]
    public void Anything_else_is_refused(string value) => Assert.NotNull(WaitParameter.Parse(new StringValues(value)).Error);

    [Fact]
    public void Two_values_are_refused() => Assert.NotNull(WaitParameter.Parse(new StringValues(["1", "2"])).Error);
}
