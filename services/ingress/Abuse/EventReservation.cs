namespace Kuberollouttrigger.Ingress.Abuse;

/// <summary>One unit of a repository's event budget, reserved in the window that started at <paramref name="WindowStart"/>.</summary>
public sealed record EventReservation(string? Key, DateTimeOffset WindowStart)
{
    /// <summary>What an unlimited budget hands out: nothing to give back.</summary>
    public static readonly EventReservation None = new(null, DateTimeOffset.MinValue);
}
