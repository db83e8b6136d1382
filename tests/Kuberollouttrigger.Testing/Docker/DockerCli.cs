using Kuberollouttrigger.Testing.Processes;

namespace Kuberollouttrigger.Testing.Docker;

/// <summary>
/// The docker command line: Debian's /usr/bin/docker when present (it matches the daemon on our machines), else docker
/// from PATH; always the legacy builder, which builds from locally tagged base images without reaching a registry.
/// </summary>
public static class DockerCli
{
    public static string Executable { get; } = File.Exists("/usr/bin/docker") ? "/usr/bin/docker" : "docker";

    /// <summary>Whether a Docker daemon answers; the reason when not.</summary>
    public static async Task<string?> UnavailableBecauseAsync()
    {
        try
        {
            var (code, output) = await RunAsync(["version", "--format", "{{.Server.Version}}"], TimeSpan.FromSeconds(20), check: false);
            return code == 0 ? null : $"docker does not answer: {output.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"docker is not installed ({e.Message})";
        }
    }

    /// <summary>Runs docker with <paramref name="arguments"/>; throws with its output when it fails and <paramref name="check"/> is set.</summary>
    public static Task<(int Code, string Output)> RunAsync(IEnumerable<string> arguments, TimeSpan timeout, bool check = true, string? workingDirectory = null)
    {
        var info = CommandLine.For(Executable, arguments);
        info.WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory;
        info.Environment["DOCKER_BUILDKIT"] = "0";
        return CommandLine.RunAsync(info, timeout, check);
    }
}
