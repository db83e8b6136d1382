using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Kuberollouttrigger.Delivery.Tests.Tools;
using Kuberollouttrigger.Testing.Docker;

namespace Kuberollouttrigger.Delivery.Tests.Image;

/// <summary>
/// The image built from this checkout's Dockerfile, once per test run (every test of the run shares it); Docker's
/// layer cache makes the next run's build quick when nothing under services/ changed. The tag names the checkout, so
/// two checkouts on one machine never build over each other's image.
/// </summary>
public static class TestImage
{
    public const string Repository = "kuberollouttrigger";

    private static readonly Lazy<Task<string>> Build = new(BuildAsync);

    public static string Tag { get; } = "test-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Tools.Repository.Root)))[..12];

    public static string Reference => $"{Repository}:{Tag}";

    /// <summary>How long the build of this run took.</summary>
    public static TimeSpan BuildTime { get; private set; }

    /// <summary>Builds the image on first use (docker must answer); returns its reference.</summary>
    public static async Task<string> GetAsync()
    {
        await DeliveryTools.RequireDockerAsync();
        return await Build.Value;
    }

    private static async Task<string> BuildAsync()
    {
        var watch = Stopwatch.StartNew();
        await DockerCli.RunAsync(["build", "-t", Reference, "--build-arg", "VERSION=0.0.0-test", "."], TimeSpan.FromMinutes(15), workingDirectory: Tools.Repository.Root);
        BuildTime = watch.Elapsed;
        Console.Error.WriteLine($"[delivery tests] built {Reference} in {BuildTime.TotalSeconds:F1} s");
        return Reference;
    }
}
