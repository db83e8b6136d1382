namespace Kuberollouttrigger.Deploy.Tests;

public sealed class DockerfileTests
{
    private static readonly string[] Lines = Repository.Read("Dockerfile").Split('\n').Select(l => l.Trim()).ToArray();

    [Fact]
    public void Runtime_stage_is_chiseled_non_root_and_starts_the_one_executable()
    {
        var runtime = Lines.SkipWhile(l => !l.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(runtime);
        Assert.Contains("chiseled", runtime[0], StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"/app/kuberollouttrigger\"]", runtime);
        Assert.Contains(runtime, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^USER [0-9]+:[0-9]+$"));
        Assert.Contains(runtime, l => l.StartsWith("EXPOSE 8080", StringComparison.Ordinal));
        Assert.DoesNotContain(runtime, l => l.StartsWith("RUN ", StringComparison.Ordinal));
        foreach (var label in new[] { "org.opencontainers.image.source", "org.opencontainers.image.version", "org.opencontainers.image.licenses" })
            Assert.Contains(runtime, l => l.Contains(label, StringComparison.Ordinal));
    }

    [Fact]
    public void Restore_is_a_layer_of_its_own_before_the_sources()
    {
        var restore = Array.FindIndex(Lines, l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        var sources = Array.FindIndex(Lines, l => l == "COPY services/ services/");

        Assert.True(restore > 0 && sources > restore);
        Assert.All(Lines[..restore].Where(l => l.StartsWith("COPY", StringComparison.Ordinal)), l => Assert.DoesNotMatch(@"COPY (services|transport|contracts)/ ", l));
    }

    [Fact]
    public void Every_project_the_host_needs_is_copied_for_restore()
    {
        foreach (var project in new[] { "contracts/Kuberollouttrigger.Contracts.csproj", "transport/Kuberollouttrigger.Transport.csproj", "services/common/Kuberollouttrigger.Common.csproj",
                     "services/ingress/Kuberollouttrigger.Ingress.csproj", "services/rollout-worker/Kuberollouttrigger.RolloutWorker.csproj", "services/host/Kuberollouttrigger.Host.csproj" })
        {
            Assert.True(File.Exists(Repository.PathOf(project)), project);
            Assert.Contains(Lines, l => l.StartsWith($"COPY {project} ", StringComparison.Ordinal));
        }
    }
}
