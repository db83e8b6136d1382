using System.Formats.Tar;
using System.Diagnostics;
using Kuberollouttrigger.Delivery.Tests.Tools;
using Kuberollouttrigger.Testing.Docker;

namespace Kuberollouttrigger.Delivery.Tests.Image;

/// <summary>The image as built from the Dockerfile: who it runs as, what it holds, and that it starts locked down.</summary>
[Collection(DockerCollection.Name)]
public sealed class ImageTests
{
    [SkippableFact]
    public async Task Image_runs_as_a_numeric_non_root_user_and_starts_the_one_executable()
    {
        var image = await TestImage.GetAsync();

        var (_, config) = await DockerCli.RunAsync(["image", "inspect", "-f", "{{.Config.User}} {{json .Config.Entrypoint}}", image], TimeSpan.FromSeconds(30));

        var parts = config.Trim().Split(' ', 2);
        Assert.Matches("^[0-9]+:[0-9]+$", parts[0]);
        Assert.Equal("1654:1654", parts[0]);
        Assert.Equal("""["/app/kuberollouttrigger"]""", parts[1]);
    }

    [SkippableFact]
    public async Task Image_has_no_shell_and_no_package_manager()
    {
        var image = await TestImage.GetAsync();
        var created = (await DockerCli.RunAsync(["create", image], TimeSpan.FromSeconds(30))).Output.Trim().Split('\n')[^1];
        try
        {
            var files = await ListFilesAsync(created);

            Assert.Contains("app/kuberollouttrigger", files);
            string[] forbidden = ["sh", "bash", "dash", "ash", "busybox", "apt", "apt-get", "dpkg", "apk"];
            var found = files.Where(f => f.StartsWith("bin/", StringComparison.Ordinal) || f.StartsWith("usr/bin/", StringComparison.Ordinal) || f.StartsWith("sbin/", StringComparison.Ordinal) || f.StartsWith("usr/sbin/", StringComparison.Ordinal))
                .Where(f => forbidden.Contains(Path.GetFileName(f))).ToList();
            Assert.True(found.Count == 0, $"the image holds {string.Join(", ", found)}");
            var (code, output) = await DockerCli.RunAsync(["run", "--rm", "--entrypoint", "/bin/sh", image, "-c", "true"], TimeSpan.FromSeconds(60), check: false);
            Assert.NotEqual(0, code);
            Assert.Contains("no such file or directory", output, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await DockerCli.RunAsync(["rm", "-f", created], TimeSpan.FromSeconds(30), check: false);
        }
    }

    [SkippableFact]
    public async Task Help_runs_on_a_read_only_root_without_capabilities()
    {
        var image = await TestImage.GetAsync();

        var (code, output) = await DockerCli.RunAsync(["run", "--rm", "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges", image, "--help"], TimeSpan.FromSeconds(60), check: false);

        Assert.True(code == 0, output);
        Assert.Contains("Usage: kuberollouttrigger <web|worker>", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Without_settings_each_mode_refuses_to_start_and_names_what_is_missing()
    {
        var image = await TestImage.GetAsync();

        var web = await DockerCli.RunAsync(["run", "--rm", "--read-only", image, "web"], TimeSpan.FromSeconds(60), check: false);
        var worker = await DockerCli.RunAsync(["run", "--rm", "--read-only", image, "worker"], TimeSpan.FromSeconds(60), check: false);

        Assert.NotEqual(0, web.Code);
        Assert.Contains("VALKEY_ADDR / --valkey-addr", web.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, worker.Code);
        Assert.Contains("ALLOWED_IMAGE_PREFIX / --allowed-image-prefix", worker.Output, StringComparison.Ordinal);
    }

    /// <summary>The paths of the container's filesystem, from <c>docker export</c>, without a leading slash.</summary>
    private static async Task<HashSet<string>> ListFilesAsync(string container)
    {
        var info = new ProcessStartInfo(DockerCli.Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("export");
        info.ArgumentList.Add(container);
        using var process = Process.Start(info)!;
        var files = new HashSet<string>(StringComparer.Ordinal);
        using (var reader = new TarReader(process.StandardOutput.BaseStream))
        {
            while (await reader.GetNextEntryAsync() is { } entry)
                files.Add(entry.Name.TrimStart('.', '/'));
        }
        await process.WaitForExitAsync();
        return files;
    }
}
