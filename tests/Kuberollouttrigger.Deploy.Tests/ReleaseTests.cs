using System.Text.RegularExpressions;
using Kuberollouttrigger.Testing.Yaml;

namespace Kuberollouttrigger.Deploy.Tests;

/// <summary>The path from a tag to a published, signed image and chart, and what the repository promises about it.</summary>
public sealed partial class ReleaseTests
{
    private static readonly string Release = Repository.Read(".github/workflows/release.yml");

    public static TheoryData<string> Workflows() => [".github/workflows/release.yml", ".github/workflows/ci.yml"];

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Every_action_is_pinned_by_commit_and_every_job_has_a_time_limit(string file)
    {
        var text = Repository.Read(file);
        var workflow = YamlJson.Parse(text)!;

        var uses = UsesLine().Matches(text).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(uses);
        Assert.All(uses, u => Assert.Matches("^[A-Za-z0-9-]+/[A-Za-z0-9_.-]+@[0-9a-f]{40} # v[0-9.]+$", u));
        foreach (var (name, job) in workflow["jobs"]!.AsObject())
            Assert.True(job!["timeout-minutes"] is not null, $"{file}: job {name} has no timeout-minutes");
    }

    [Fact]
    public void Release_runs_on_version_tags_and_publishes_a_signed_multi_platform_image_with_attestations()
    {
        var workflow = YamlJson.Parse(Release)!;

        Assert.Equal(["v*"], workflow["on"]!["push"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains("platforms: linux/amd64,linux/arm64", Release, StringComparison.Ordinal);
        Assert.Contains("sbom: true", Release, StringComparison.Ordinal);
        Assert.Contains("provenance: mode=max", Release, StringComparison.Ordinal);
        Assert.Contains("cosign sign --yes \"$IMAGE\"", Release, StringComparison.Ordinal);
        Assert.Contains("image=${REGISTRY}/${owner}/kuberollouttrigger", Release, StringComparison.Ordinal);
        Assert.Contains("helm package deploy/helm/kuberollouttrigger --version \"$VERSION\" --app-version \"$VERSION\"", Release, StringComparison.Ordinal);
        Assert.Contains("helm push", Release, StringComparison.Ordinal);
        Assert.Contains("gh release create", Release, StringComparison.Ordinal);
        Assert.Equal("write", workflow["jobs"]!["release"]!["permissions"]!["id-token"]!.GetValue<string>());
        Assert.Equal("read", workflow["permissions"]!["contents"]!.GetValue<string>());
    }

    [Fact]
    public void The_charts_default_image_is_where_the_release_publishes_and_the_docs_verify_that_identity()
    {
        var chart = YamlJson.Parse(Repository.Read("deploy/helm/kuberollouttrigger/Chart.yaml"))!;
        var values = YamlJson.Parse(Repository.Read("deploy/helm/kuberollouttrigger/values.yaml"))!;
        var owner = chart["home"]!.GetValue<string>()["https://github.com/".Length..].Split('/')[0];
        var deployment = Repository.Read("docs/deployment.md");

        Assert.Equal($"ghcr.io/{owner}/kuberollouttrigger", values["image"]!["repository"]!.GetValue<string>());
        Assert.Equal("", values["image"]!["digest"]!.GetValue<string>());
        Assert.Contains($"oci://ghcr.io/{owner}/charts/kuberollouttrigger", deployment, StringComparison.Ordinal);
        Assert.Contains($"--certificate-identity https://github.com/{owner}/kuberollouttrigger/.github/workflows/release.yml@refs/tags/vX.Y.Z", deployment, StringComparison.Ordinal);
        Assert.Contains("--certificate-oidc-issuer https://token.actions.githubusercontent.com", deployment, StringComparison.Ordinal);
        Assert.Equal(">=1.29.0-0", chart["kubeVersion"]!.GetValue<string>());
        Assert.NotEmpty(chart["sources"]!.AsArray());
        // The packaging step rewrites exactly this line, the first two-space "repository:" of values.yaml.
        Assert.StartsWith("  repository: ghcr.io/", Repository.Read("deploy/helm/kuberollouttrigger/values.yaml").Split('\n').First(l => l.StartsWith("  repository: ", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_build_stage_cross_compiles_on_the_builders_platform_and_needs_no_frontend_from_a_registry()
    {
        var dockerfile = Repository.Read("Dockerfile");

        Assert.DoesNotContain("# syntax=", dockerfile, StringComparison.Ordinal);
        Assert.Contains("FROM --platform=${BUILDPLATFORM:-linux/amd64} mcr.microsoft.com/dotnet/sdk:", dockerfile, StringComparison.Ordinal);
        Assert.Contains("ARG TARGETARCH", dockerfile, StringComparison.Ordinal);
        Assert.Contains("RUN dotnet restore services/host/Kuberollouttrigger.Host.csproj -a ${TARGETARCH:-amd64} -p:PublishReadyToRun=true", dockerfile, StringComparison.Ordinal);
        // ReadyToRun code for the target architecture, the same restore and publish flags (docs/performance.md).
        Assert.Contains("--no-restore -o /app -a ${TARGETARCH:-amd64}", dockerfile, StringComparison.Ordinal);
        Assert.Contains("--self-contained false -p:PublishReadyToRun=true", dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void The_licence_is_MIT_as_the_image_label_says()
    {
        Assert.StartsWith("MIT License\n", Repository.Read("LICENSE"), StringComparison.Ordinal);
        Assert.Contains("ARG LICENSES=\"MIT\"", Repository.Read("Dockerfile"), StringComparison.Ordinal);
    }

    [Fact]
    public void Documented_chart_defaults_are_the_values()
    {
        var values = YamlJson.Parse(Repository.Read("deploy/helm/kuberollouttrigger/values.yaml"))!;
        var deployment = Repository.Read("docs/deployment.md");
        string Memory(string mode, string kind) => values[mode]!["resources"]![kind]!["memory"]!.GetValue<string>();
        string Cpu(string mode, string kind) => values[mode]!["resources"]![kind]!["cpu"]!.GetValue<string>();

        foreach (var mode in new[] { "web", "worker" })
            Assert.Contains($"| `{mode}.resources` | {Cpu(mode, "requests")}/{Memory(mode, "requests")} requests, {Cpu(mode, "limits")}/{Memory(mode, "limits")} limits |", deployment, StringComparison.Ordinal);
        Assert.Contains($"| `web.preStopSleepSeconds`, `web.terminationGracePeriodSeconds` | {values["web"]!["preStopSleepSeconds"]}, {values["web"]!["terminationGracePeriodSeconds"]} |", deployment, StringComparison.Ordinal);
        var valkey = values["valkey"]!["bundled"]!["image"]!;
        Assert.Contains($"`{valkey["repository"]}:{valkey["tag"]}`, pinned", deployment, StringComparison.Ordinal);
        Assert.Contains($"| `web.replicas` | {values["web"]!["replicas"]} |", deployment, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\s*-?\s*uses: (\S+(?: # \S+)?)\s*$", RegexOptions.Multiline)]
    private static partial Regex UsesLine();
}
