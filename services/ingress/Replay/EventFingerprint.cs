using System.Security.Cryptography;
using System.Text;

namespace Kuberollouttrigger.Ingress.Replay;

/// <summary>What makes two requests "the same event": the image and the tags, in order, after de-duplication.</summary>
public static class EventFingerprint
{
    public static string Of(string image, IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(tags);
        var text = image + "\n" + string.Join('\n', tags);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }
}
