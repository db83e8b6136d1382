namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>
/// <c>/apis/apps/v1/deployments</c>, <c>/apis/apps/v1/namespaces/{ns}/deployments</c> or
/// <c>/apis/apps/v1/namespaces/{ns}/deployments/{name}</c>.
/// </summary>
public sealed record DeploymentRoute(string? Namespace, string? Name)
{
    public static DeploymentRoute? Parse(string path)
    {
        var parts = path.Trim('/').Split('/');
        if (parts.Length < 4 || parts[0] != "apis" || parts[1] != "apps" || parts[2] != "v1")
            return null;
        if (parts.Length == 4 && parts[3] == "deployments")
            return new DeploymentRoute(null, null);
        if (parts.Length is 6 or 7 && parts[3] == "namespaces" && parts[5] == "deployments")
            return new DeploymentRoute(parts[4], parts.Length == 7 ? parts[6] : null);
        return null;
    }
}
