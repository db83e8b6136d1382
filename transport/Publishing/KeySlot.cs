namespace Kuberollouttrigger.Transport.Publishing;

/// <summary>
/// Valkey Cluster's rule for the part of a key that picks its slot (the hash tag): the text between the first
/// <c>{</c> and the next <c>}</c> when it is not empty, else the whole key. A script may only touch keys of one slot,
/// so a key that must sit beside another carries that key's tag.
/// </summary>
public static class KeySlot
{
    /// <summary>The text Valkey Cluster hashes for <paramref name="key"/>.</summary>
    public static string TagOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var open = key.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
            return key;
        var close = key.IndexOf('}', open + 1);
        return close > open + 1 ? key[(open + 1)..close] : key;
    }

    /// <summary>
    /// <c>prefix{tag}:id</c>, where tag is <paramref name="neighbour"/>'s own, so both keys hash to one slot; null when
    /// the neighbour is hashed whole and contains a <c>}</c>, which no tag can carry.
    /// </summary>
    public static string? KeyBeside(string neighbour, string prefix, string id)
    {
        var tag = TagOf(neighbour);
        return tag.Contains('}', StringComparison.Ordinal) ? null : $"{prefix}{{{tag}}}:{id}";
    }
}
