namespace Kuberollouttrigger.Common.Policy;

/// <summary>A parsed policy, or every reason (with its line) it cannot be used.</summary>
public sealed record PolicyReadResult(AuthorizationPolicy? Policy, IReadOnlyList<string> Errors)
{
    public static PolicyReadResult Fail(string error) => new(null, [error]);
}
