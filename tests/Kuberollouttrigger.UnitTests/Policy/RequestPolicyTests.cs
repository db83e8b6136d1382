using Kuberollouttrigger.Common.Policy;

namespace Kuberollouttrigger.UnitTests.Policy;

public sealed class RequestPolicyTests
{
    private const string Prefix = "ghcr.io/acme";

    private static readonly RequestPolicy Policy = new(PolicyFileReader.Read("""
        rules:
          - repositories: [acme/app, acme/svc-*]
            repository_owner_id: 1000001
            images: ["{prefix}{repository_name}", "{prefix}{repository_name}/*"]
            refs: [refs/heads/main, refs/tags/v*]
          - repositories: acme/deploy
            repository_id: 2000002
            images: ghcr.io/acme/**
            environments: production
            job_workflow_refs: "{repository}/.github/workflows/release.yml@refs/heads/main"
        """).Policy!);

    private static PolicyRequest Request(string repository = "acme/app", string image = "ghcr.io/acme/app", string? @ref = "refs/heads/main",
        string? ownerId = "1000001", string? repositoryId = "2000002", string? environment = null, string? workflow = null) =>
        new(repository, ownerId, repositoryId, image, @ref, environment, workflow);

    public static TheoryData<string, PolicyRequest, PolicyCheck?> Cases() => new()
    {
        { "own image", Request(), null },
        { "own image, repository case differs", Request(repository: "Acme/App"), null },
        { "own image below its own", Request(image: "ghcr.io/acme/app/worker"), null },
        { "another repository's image that starts with the name", Request(image: "ghcr.io/acme/app-admin"), PolicyCheck.Image },
        { "glob repository", Request(repository: "acme/svc-billing", image: "ghcr.io/acme/svc-billing"), null },
        { "tag ref", Request(@ref: "refs/tags/v1.2.3"), null },
        { "another repository's image", Request(image: "ghcr.io/acme/other"), PolicyCheck.Image },
        { "single star stops at a slash", Request(image: "ghcr.io/acme/app/x/y"), PolicyCheck.Image },
        { "repository not listed", Request(repository: "acme/unknown", image: "ghcr.io/acme/unknown"), PolicyCheck.Repository },
        { "glob does not cross a slash", Request(repository: "acme/svc-a/b"), PolicyCheck.Repository },
        { "owner id mismatch (renamed or re-registered org)", Request(ownerId: "999"), PolicyCheck.RepositoryOwnerId },
        { "owner id missing", Request(ownerId: null), PolicyCheck.RepositoryOwnerId },
        { "branch not allowed", Request(@ref: "refs/heads/feature"), PolicyCheck.Ref },
        { "ref missing", Request(@ref: null), PolicyCheck.Ref },
        { "deploy from production", Request(repository: "acme/deploy", image: "ghcr.io/acme/team/x", environment: "Production", workflow: "acme/deploy/.github/workflows/release.yml@refs/heads/main"), null },
        { "deploy without environment", Request(repository: "acme/deploy", image: "ghcr.io/acme/x", workflow: "acme/deploy/.github/workflows/release.yml@refs/heads/main"), PolicyCheck.Environment },
        { "deploy from another workflow", Request(repository: "acme/deploy", image: "ghcr.io/acme/x", environment: "production", workflow: "acme/deploy/.github/workflows/other.yml@refs/heads/main"), PolicyCheck.JobWorkflowRef },
        { "deploy repository re-created (new id)", Request(repository: "acme/deploy", repositoryId: "3", image: "ghcr.io/acme/x", environment: "production"), PolicyCheck.RepositoryId },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides_by_the_furthest_failing_condition(string name, PolicyRequest request, PolicyCheck? denied)
    {
        var decision = Policy.Evaluate(request, Prefix);

        Assert.True(denied == decision.DeniedBy, $"{name}: {decision.Reason}");
    }

    [Fact]
    public void Reason_names_the_kind_not_the_rule()
    {
        var decision = Policy.Evaluate(Request(@ref: "refs/heads/feature"), Prefix);

        Assert.Equal("ref not allowed by policy", decision.Reason);
    }

    [Fact]
    public void Top_level_owner_id_pins_every_rule()
    {
        var policy = new RequestPolicy(PolicyFileReader.Read("repository_owner_id: 7\nrules: [{repositories: 'acme/*', images: '**'}]").Policy!);

        Assert.True(policy.Evaluate(Request(ownerId: "7"), Prefix).IsAllowed);
        Assert.Equal(PolicyCheck.RepositoryOwnerId, policy.Evaluate(Request(ownerId: "8"), Prefix).DeniedBy);
    }

    [Fact]
    public void Without_a_policy_everything_is_allowed()
    {
        var policy = new RequestPolicy(null);

        Assert.False(policy.IsConfigured);
        Assert.True(policy.Evaluate(Request(repository: "acme/any", image: "ghcr.io/acme/other", @ref: null, ownerId: null), Prefix).IsAllowed);
    }
}
