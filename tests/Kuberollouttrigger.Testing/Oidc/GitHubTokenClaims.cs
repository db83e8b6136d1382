using System.Text.Json.Nodes;

namespace Kuberollouttrigger.Testing.Oidc;

/// <summary>The claims of a GitHub Actions OIDC token, with realistic defaults; tests change what they need.</summary>
public sealed record GitHubTokenClaims
{
    public string? Issuer { get; init; }
    public JsonNode? Audience { get; init; }
    public string Repository { get; init; } = "acme/app";
    public string? RepositoryOwner { get; init; } = "acme";
    public string RepositoryOwnerId { get; init; } = "1000001";
    public string RepositoryId { get; init; } = "2000002";
    public string Ref { get; init; } = "refs/heads/main";
    public string Sha { get; init; } = "0123456789abcdef0123456789abcdef01234567";
    public string Workflow { get; init; } = "build";
    public string Actor { get; init; } = "octocat";
    public string RunId { get; init; } = "4242";
    public string Jti { get; init; } = Guid.NewGuid().ToString();
    public string? Environment { get; init; }
    public string? JobWorkflowRef { get; init; }
    public DateTimeOffset IssuedAt { get; init; } = DateTimeOffset.UtcNow.AddSeconds(-5);
    public DateTimeOffset NotBefore { get; init; } = DateTimeOffset.UtcNow.AddSeconds(-5);
    public DateTimeOffset Expires { get; init; } = DateTimeOffset.UtcNow.AddMinutes(5);

    public JsonObject ToPayload(string issuer, string audience)
    {
        var payload = new JsonObject
        {
            ["jti"] = Jti,
            ["sub"] = $"repo:{Repository}:ref:{Ref}",
            ["aud"] = Audience?.DeepClone() ?? audience,
            ["ref"] = Ref,
            ["sha"] = Sha,
            ["repository"] = Repository,
            ["repository_id"] = RepositoryId,
            ["repository_owner_id"] = RepositoryOwnerId,
            ["run_id"] = RunId,
            ["run_number"] = "7",
            ["run_attempt"] = "1",
            ["actor"] = Actor,
            ["workflow"] = Workflow,
            ["job_workflow_ref"] = JobWorkflowRef ?? $"{Repository}/.github/workflows/{Workflow}.yml@{Ref}",
            ["event_name"] = "push",
            ["iss"] = Issuer ?? issuer,
            ["nbf"] = NotBefore.ToUnixTimeSeconds(),
            ["exp"] = Expires.ToUnixTimeSeconds(),
            ["iat"] = IssuedAt.ToUnixTimeSeconds(),
        };
        if (Environment is not null)
            payload["environment"] = Environment;
        if (RepositoryOwner is not null)
            payload["repository_owner"] = RepositoryOwner;
        return payload;
    }
}
