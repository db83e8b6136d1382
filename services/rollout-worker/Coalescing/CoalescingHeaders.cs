namespace Kuberollouttrigger.RolloutWorker.Coalescing;

public static class CoalescingHeaders
{
    /// <summary>Transport header on a window's restart message: the window it restarts. Only the worker sets it; messages from Valkey cannot carry it.</summary>
    public const string Window = "Kuberollouttrigger-Coalesced-Window";
}
