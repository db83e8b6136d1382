using Kuberollouttrigger.Testing.Docker;

namespace Kuberollouttrigger.Delivery.Tests.Tools;

/// <summary>
/// docker and helm, or the reason a test cannot run. A developer machine without them skips these tests with that
/// reason; with KRT_DELIVERY_TOOLS=required (.ci/run) a missing tool fails the test instead.
/// </summary>
public static class DeliveryTools
{
    public const string RequiredVariable = "KRT_DELIVERY_TOOLS";

    private static readonly Lazy<Task<string?>> DockerMissing = new(DockerCli.UnavailableBecauseAsync);

    public static bool Required => Environment.GetEnvironmentVariable(RequiredVariable) == "required";

    /// <summary>Skips (or, when required, fails) unless a Docker daemon answers.</summary>
    public static async Task RequireDockerAsync() => Unavailable(await DockerMissing.Value);

    /// <summary>The path of <paramref name="name"/> (helm3 or helm4) on PATH; skips or fails when it is not there.</summary>
    public static string RequireHelm(string name)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
        Unavailable(path is null ? $"{name} is not on PATH (bash ../shared/tools/helm/install.sh installs helm3 and helm4)" : null);
        return path!;
    }

    private static void Unavailable(string? reason)
    {
        if (reason is null)
            return;
        if (Required)
            throw new InvalidOperationException($"{reason}; {RequiredVariable}=required, so this is a failure, not a skip");
        Skip.If(true, reason);
    }
}
