using System.Diagnostics;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Processes;

namespace Kuberollouttrigger.IntegrationTests.Host;

/// <summary>DEV_MODE through the real process and the real dev script (scripts/send-dev-event.sh, curl).</summary>
[Collection(nameof(WebProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class DevModeTests(SharedServers servers)
{
    [Fact]
    public async Task Dev_mode_accepts_the_unsigned_dev_token_still_checks_owner_and_audience_and_warns_loudly()
    {
        var channel = servers.NewChannel("dev-mode");
        await using var recorder = await ChannelRecorder.StartAsync(servers.Redis.Address, channel);
        var port = FreePort.Next();
        using var web = HostProcess.Start(["web", "--dev-mode"], new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = servers.Redis.Address,
            ["VALKEY_CHANNEL"] = channel,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/stefanprodan",
            ["GITHUB_OIDC_AUDIENCE"] = "kuberollouttrigger-local",
            ["GITHUB_ALLOWED_ORG"] = "local-dev",
            ["WEB_LISTEN_ADDR"] = $"127.0.0.1:{port}",
        });
        await HostProcess.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port}/readyz"), web);
        var url = $"http://127.0.0.1:{port}/event";

        var accepted = await SendDevEventAsync(url, []);
        var wrongOrg = await SendDevEventAsync(url, new() { ["KRT_ORG"] = "someone-else" });
        var wrongAudience = await SendDevEventAsync(url, new() { ["KRT_AUDIENCE"] = "other" });

        Assert.Contains("202 Accepted", accepted, StringComparison.Ordinal);
        Assert.Contains("401 Unauthorized", wrongOrg, StringComparison.Ordinal);
        Assert.Contains("401 Unauthorized", wrongAudience, StringComparison.Ordinal);
        Assert.Equal("ghcr.io/stefanprodan/podinfo", Envelope.Parse(await recorder.NextAsync()).Message.GetProperty("image").GetString());
        await recorder.AssertNothingPublishedAsync();
        web.Stop();
        Assert.Contains("DEV_MODE IS ON", web.Output, StringComparison.Ordinal);
        Assert.Contains("\"level\":\"critical\"", web.Output, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(web.Output, "accepted a token WITHOUT verifying its signature"));
    }

    private static async Task<string> SendDevEventAsync(string url, Dictionary<string, string> environment)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "send-dev-event.sh");
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        info.Environment["KRT_URL"] = url;
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, errors);
        return output;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "kuberollouttrigger.sln")))
            dir = dir.Parent;
        return dir!.FullName;
    }
}
