namespace Kuberollouttrigger.Ingress.Replay;

/// <summary>
/// What is remembered under a token's jti: the event id it was given, a fingerprint of the event, and whether a
/// worker received it. Kept as <c>v1|id|fingerprint|0 or 1</c>.
/// </summary>
public sealed record ReplayRecord(Guid EventId, string Fingerprint, bool Published)
{
    public string Format() => $"v1|{EventId:N}|{Fingerprint}|{(Published ? '1' : '0')}";

    public static ReplayRecord? Parse(string? text)
    {
        var parts = (text ?? "").Split('|');
        if (parts.Length != 4 || parts[0] != "v1" || !Guid.TryParseExact(parts[1], "N", out var id) || parts[3] is not ("0" or "1"))
            return null;
        return new ReplayRecord(id, parts[2], parts[3] == "1");
    }
}
