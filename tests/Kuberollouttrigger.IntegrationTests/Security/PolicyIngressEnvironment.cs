using Kuberollouttrigger.IntegrationTests.Infrastructure;

namespace Kuberollouttrigger.IntegrationTests.Security;

/// <summary>The real web mode with <see cref="Policy"/> as its POLICY_FILE and a channel recorder, on the ingress collection's servers.</summary>
public sealed class PolicyIngressEnvironment(IngressEnvironment shared) : IAsyncLifetime
{
    public const string Policy = """
        rules:
          - name: services restart their own image from main or a release tag
            repositories: [acme/app, acme/svc-*]
            repository_owner_id: 1000001
            images: ["{prefix}{repository_name}"]
            refs: [refs/heads/main, refs/tags/v*]
          - name: the deploy repository, only from its release workflow in production
            repositories: acme/deploy
            repository_id: 2000002
            images: ghcr.io/acme/**
            environments: production
            job_workflow_refs: acme/deploy/.github/workflows/release.yml@refs/heads/main
        """;

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"krt-policy-{Guid.NewGuid():N}.yaml");

    public IngressEnvironment Env { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_file, Policy);
        Env = new IngressEnvironment(shared.Servers, settings => settings["Policy:File"] = _file);
        await Env.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (Env is not null)
            await Env.DisposeAsync();
        File.Delete(_file);
    }
}
