namespace Kuberollouttrigger.Ingress.Authentication;

/// <summary>Claim names of GitHub Actions OIDC tokens, kept as GitHub writes them (<c>MapInboundClaims = false</c>).</summary>
public static class GitHubClaimNames
{
    public const string Repository = "repository";
    public const string RepositoryOwner = "repository_owner";
    public const string Ref = "ref";
    public const string Sha = "sha";
    public const string Workflow = "workflow";
    public const string Actor = "actor";
    public const string RunId = "run_id";
    public const string RepositoryId = "repository_id";
    public const string RepositoryOwnerId = "repository_owner_id";
    public const string Environment = "environment";
    public const string JobWorkflowRef = "job_workflow_ref";
    public const string TokenId = "jti";
    public const string IssuedAt = "iat";
    public const string Expires = "exp";
}
