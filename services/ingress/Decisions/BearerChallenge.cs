using System.Text;

namespace Kuberollouttrigger.Ingress.Decisions;

/// <summary>
/// The <c>WWW-Authenticate</c> value of a 401 (RFC 6750): <c>Bearer error="invalid_token", error_description="…"</c>,
/// the description being the refusal's reason in the characters a quoted description may hold.
/// </summary>
public static class BearerChallenge
{
    public static string For(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var description = new StringBuilder(reason.Length);
        foreach (var c in reason)
            description.Append(c switch { '"' or '\\' => '\'', >= ' ' and <= '~' => c, _ => '?' });
        return $"Bearer error=\"invalid_token\", error_description=\"{description}\"";
    }
}
