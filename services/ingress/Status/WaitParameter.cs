using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace Kuberollouttrigger.Ingress.Status;

/// <summary>The <c>wait</c> query parameter: one whole number of seconds from 0 to <see cref="EventWaitOptions.MaxWaitSeconds"/>.</summary>
public static class WaitParameter
{
    /// <summary>The wait, or the one-line reason the value is refused.</summary>
    public static (TimeSpan Wait, string? Error) Parse(StringValues values)
    {
        if (values.Count != 1)
            return (TimeSpan.Zero, "wait must be given once");
        if (!int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > EventWaitOptions.MaxWaitSeconds)
            return (TimeSpan.Zero, $"wait must be a whole number of seconds from 0 to {EventWaitOptions.MaxWaitSeconds}");
        return (TimeSpan.FromSeconds(seconds), null);
    }
}
