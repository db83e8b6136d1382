using System.Globalization;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Transport.Connection;

/// <summary>
/// Refuses at start what would fail every command later: a VALKEY_ADDR entry that is not <c>host:port</c>, Sentinel and
/// Cluster together, and a channel whose braces would move the names derived from it out of their slot.
/// </summary>
public sealed class ValkeyOptionsValidator : IValidateOptions<ValkeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ValkeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Endpoints.FirstOrDefault(e => !IsHostAndPort(e)) is { } bad)
        {
            errors.Add($"VALKEY_ADDR / --valkey-addr must be host:port (for example valkey:6379) or a comma-separated list of them, not '{options.Address}'"
                + (options.Endpoints.Count > 1 ? $" ('{bad}' is not)" : ""));
        }
        if (options.IsSentinel && options.SentinelMaster!.Any(char.IsWhiteSpace))
            errors.Add($"VALKEY_SENTINEL_MASTER / --valkey-sentinel-master must be the Sentinels' name of the primary, without spaces, not '{options.SentinelMaster}'");
        if (options.IsSentinel && options.Cluster)
            errors.Add("VALKEY_SENTINEL_MASTER / --valkey-sentinel-master and VALKEY_CLUSTER / --valkey-cluster exclude each other: Sentinel watches one primary, a Cluster fails over by itself");
        if (options.Cluster && options.Channel.IndexOfAny(['{', '}']) >= 0)
            errors.Add($"VALKEY_CHANNEL / --valkey-channel must not contain {{ or }} with VALKEY_CLUSTER: the names derived from it wrap it in braces to keep them in one slot, not '{options.Channel}'");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsHostAndPort(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return !endpoint.Contains("://", StringComparison.Ordinal)
            && colon > 0
            && int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= 65535
            && !endpoint[..colon].Any(char.IsWhiteSpace);
    }
}
