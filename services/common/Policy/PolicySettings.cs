using Kuberollouttrigger.Common.Settings;

namespace Kuberollouttrigger.Common.Policy;

/// <summary>The public name of the authorization policy file; the same setting in both modes.</summary>
public static class PolicySettings
{
    public static readonly Setting File = new("POLICY_FILE", "policy-file", "Policy:File",
        "YAML authorization policy (which repositories may trigger which images); empty means any repository of the org, any image under the prefix");
}
