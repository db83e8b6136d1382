namespace Kuberollouttrigger.Common.Images;

/// <summary>
/// The OCI distribution grammar for the parts of an image reference, checked by hand (ASCII only, no regex backtracking).
/// </summary>
public static class ImageGrammar
{
    public const int MaxReferenceLength = 512;
    public const int MaxTagLength = 128;

    /// <summary><c>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}</c>.</summary>
    public static bool IsTag(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (tag.Length is 0 or > MaxTagLength || tag[0] is '.' or '-')
            return false;
        foreach (var c in tag)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
                return false;
        }
        return true;
    }

    /// <summary>Path components separated by <c>/</c>, each <c>[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*</c>.</summary>
    public static bool IsRepositoryPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
            return false;
        foreach (var component in path.Split('/'))
        {
            if (!IsPathComponent(component))
                return false;
        }
        return true;
    }

    /// <summary>A DNS name or IPv4 address with an optional port, e.g. <c>ghcr.io</c>, <c>localhost:5000</c>.</summary>
    public static bool IsRegistryHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var colon = host.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            var port = host[(colon + 1)..];
            if (port.Length is 0 or > 5 || !port.All(char.IsAsciiDigit) || int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) is 0 or > 65535)
                return false;
            host = host[..colon];
        }
        if (host.Length is 0 or > 253)
            return false;
        foreach (var label in host.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
                return false;
            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
                return false;
        }
        return true;
    }

    /// <summary><c>algorithm:hex</c>, e.g. <c>sha256:</c> followed by 64 lowercase hex digits.</summary>
    public static bool IsDigest(string digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == digest.Length - 1)
            return false;
        var algorithm = digest.AsSpan(0, colon);
        var encoded = digest.AsSpan(colon + 1);
        foreach (var c in algorithm)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '+' or '.' or '_' or '-'))
                return false;
        }
        if (algorithm.SequenceEqual("sha256") && encoded.Length != 64)
            return false;
        foreach (var c in encoded)
        {
            if (!(char.IsAsciiDigit(c) || c is >= 'a' and <= 'f' or >= 'A' and <= 'F' || c is '=' or '_' or '-'))
                return false;
        }
        return encoded.Length >= 32;
    }

    private static bool IsPathComponent(string component)
    {
        if (component.Length == 0 || !IsLowerAlnum(component[0]) || !IsLowerAlnum(component[^1]))
            return false;
        for (var i = 1; i < component.Length - 1; i++)
        {
            var c = component[i];
            if (IsLowerAlnum(c) || c == '-')
                continue;
            if (c == '.' && IsLowerAlnum(component[i + 1]) && IsLowerAlnum(component[i - 1]))
                continue;
            if (c == '_')
            {
                // "_" or "__" between alphanumerics.
                var run = component[i + 1] == '_' ? 2 : 1;
                if (IsLowerAlnum(component[i - 1]) && i + run < component.Length && IsLowerAlnum(component[i + run]))
                {
                    i += run - 1;
                    continue;
                }
            }
            return false;
        }
        return true;
    }

    private static bool IsLowerAlnum(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
