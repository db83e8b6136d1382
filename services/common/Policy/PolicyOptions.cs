namespace Kuberollouttrigger.Common.Policy;

/// <summary>Where the authorization policy is read from; no file means the Go original's rules (org and prefix) only.</summary>
public sealed class PolicyOptions
{
    public const string Section = "Policy";

    public string? File { get; set; }
}
