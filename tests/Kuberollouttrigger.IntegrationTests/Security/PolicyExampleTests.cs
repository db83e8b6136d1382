using System.Net;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Processes;

namespace Kuberollouttrigger.IntegrationTests.Security;

/// <summary>
/// The attack: with the policy example of docs/policy.md (<c>{prefix}{repository_name}-*</c>), the repository
/// <c>acme/app</c> restarted <c>ghcr.io/acme/app-admin</c>, the image of the repository <c>acme/app-admin</c>. The real
/// web process, given the example as it is documented now, refuses that with 403; a pattern that lets a name run on
/// stops the start.
/// </summary>
[Collection(nameof(WebProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class PolicyExampleTests(SharedServers servers)
{
    private string Channel { get; } = servers.NewChannel("policy-example");

    public static TheoryData<string, string, HttpStatusCode, string?> Requests() => new()
    {
        { "acme/app", "ghcr.io/acme/app-admin", HttpStatusCode.Forbidden, "image not allowed by policy" },
        { "acme/app", "ghcr.io/acme/app", HttpStatusCode.Accepted, null },
        { "acme/app", "ghcr.io/acme/app/worker", HttpStatusCode.Accepted, null },
        { "acme/app", "ghcr.io/acme/app.v2", HttpStatusCode.Forbidden, "image not allowed by policy" },
        { "acme/app", "ghcr.io/acme/app/worker/x", HttpStatusCode.Forbidden, "image not allowed by policy" },
        { "acme/svc-billing", "ghcr.io/acme/svc-billing-admin", HttpStatusCode.Forbidden, "image not allowed by policy" },
        { "acme/app-admin", "ghcr.io/acme/app-admin", HttpStatusCode.Forbidden, "repository not allowed by policy" },
        { "acme/billing", "ghcr.io/acme/billing-worker", HttpStatusCode.Accepted, null },
        { "acme/billing-worker", "ghcr.io/acme/billing-worker", HttpStatusCode.Forbidden, "repository not allowed by policy" },
    };

    [Fact]
    public async Task Documented_example_lets_a_repository_restart_only_its_own_images()
    {
        var example = RepositoryFiles.CodeBlockAfter("docs/policy.md", "## Example");
        var (redis, issuer) = (servers.Redis, servers.Issuer);
        await using var recorder = await ChannelRecorder.StartAsync(redis.Address, Channel);
        var file = Path.Combine(Path.GetTempPath(), $"krt-policy-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, example);
        var (web, client) = await WebProcess.StartReadyAsync(redis, issuer, Channel, Policy(file));
        using var process = web;
        using var http = client;
        try
        {
            foreach (var row in Requests())
            {
                var (repository, image, expected, reason) = ((string)row[0], (string)row[1], (HttpStatusCode)row[2], (string?)row[3]);
                // The billing repository is pinned by its id in the example; every other row keeps the fixture's id.
                var claims = new GitHubTokenClaims { Repository = repository, RepositoryId = repository == "acme/billing" ? "2000003" : "2000002" };
                using var response = await WebProcess.PostAsync(client, issuer.CreateToken(claims), $$"""{"image":"{{image}}","tags":["dev"]}""");

                var body = await response.Content.ReadAsStringAsync();
                Assert.True(expected == response.StatusCode, $"{repository} -> {image}: {(int)response.StatusCode} {body}");
                if (reason is not null)
                    Assert.Contains(reason, body, StringComparison.Ordinal);
                if (expected == HttpStatusCode.Accepted)
                    Assert.Equal(image, Envelope.Parse(await recorder.NextAsync()).Message.GetProperty("image").GetString());
                await recorder.AssertNothingPublishedAsync();
            }
        }
        finally
        {
            web.Stop();
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("{prefix}{repository_name}-*")]
    [InlineData("{prefix}{repository_name}*")]
    [InlineData("ghcr.io/acme/team-{repository_name}")]
    public async Task Image_pattern_that_lets_the_name_run_on_stops_the_start_naming_it(string image)
    {
        var (redis, issuer) = (servers.Redis, servers.Issuer);
        var file = Path.Combine(Path.GetTempPath(), $"krt-policy-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, $"rules:\n  - repositories: [acme/app]\n    images: [\"{{prefix}}{{repository_name}}\", \"{image}\"]\n");
        using var web = WebProcess.Start(redis, issuer, Channel, FreePort.Next(), Policy(file));
        try
        {
            Assert.NotEqual(0, await web.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains($"rule 1: images: '{image}': {{repository_name}} must be a whole path component", web.Output, StringComparison.Ordinal);
        }
        finally
        {
            web.Stop();
            File.Delete(file);
        }
    }

    private static Dictionary<string, string?> Policy(string file) => new() { ["POLICY_FILE"] = file };
}
