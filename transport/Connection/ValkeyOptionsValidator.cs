using System.Globalization;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Transport.Connection;

/// <summary>Refuses at start a VALKEY_ADDR that is not <c>host:port</c>, instead of failing every publish later.</summary>
public sealed class ValkeyOptionsValidator : IValidateOptions<ValkeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ValkeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = options.Address ?? "";
        var colon = address.LastIndexOf(':');
        var valid = !address.Contains("://", StringComparison.Ordinal)
            && colon > 0
            && int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= 65535
            && !address[..colon].Any(char.IsWhiteSpace);
        return valid
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"VALKEY_ADDR / --valkey-addr must be host:port (for example valkey:6379), not '{address}'");
    }
}
