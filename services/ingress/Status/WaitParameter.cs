using System.Globalization;
using Kuberollouttrigger.Ingress.Decisions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Kuberollouttrigger.Ingress.Status;

/// <summary>The <c>wait</c> query parameter: one whole number of seconds from 0 to <see cref="EventWaitOptions.MaxWaitSeconds"/>.</summary>
public static class WaitParameter
{
    public const string Name = "wait";

    /// <summary>The wait the request asks for (null: answer without waiting), or the refusal of a bad value.</summary>
    public static (TimeSpan? Wait, Refused? Refused) From(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!query.TryGetValue(Name, out var values))
            return (null, null);
        var (wait, error) = Parse(values);
        return error is null ? (wait, null) : (null, new Refused(RefusalCause.WaitParameter, error));
    }

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
