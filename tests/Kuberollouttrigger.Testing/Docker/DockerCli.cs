using System.Diagnostics;

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
    public static async Task<(int Code, string Output)> RunAsync(IEnumerable<string> arguments, TimeSpan timeout, bool check = true, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        info.Environment["DOCKER_BUILDKIT"] = "0";
        return await RunProcessAsync(info, timeout, check);
    }

    internal static async Task<(int Code, string Output)> RunProcessAsync(ProcessStartInfo info, TimeSpan timeout, bool check)
    {
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{info.FileName} {string.Join(' ', info.ArgumentList)} did not finish within {timeout}");
        }
        var output = await stdout + await stderr;
        if (check && process.ExitCode != 0)
            throw new InvalidOperationException($"{info.FileName} {string.Join(' ', info.ArgumentList)} exited with {process.ExitCode}:\n{output}");
        return (process.ExitCode, output);
    }
}
