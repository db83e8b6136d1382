using System.Net;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;

namespace Kuberollouttrigger.IntegrationTests.Security;

/// <summary>
/// The attack: an operator's policy pattern with several <c>*</c> and a long image chosen by a repository of the org.
/// The backtracking matcher took exponential time per request (tens of seconds of CPU for each, more with every
/// character). The real web process now answers 403 at once and goes on serving.
/// </summary>
[Collection(nameof(WebProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class PolicyGlobAttackTests(SharedServers servers)
{
    private const string Policy = """
        rules:
          - repositories: acme/app
            images: ["ghcr.io/acme/*a*a*a*a*a*a*a*b", "{prefix}{repository_name}"]
        """;

    [Fact]
    public async Task Long_image_against_a_many_star_pattern_is_refused_at_once_and_the_process_keeps_serving()
    {
        var (redis, issuer, channel) = (servers.Redis, servers.Issuer, servers.NewChannel("policy-glob"));
        await using var recorder = await ChannelRecorder.StartAsync(redis.Address, channel);
        var policy = Path.Combine(Path.GetTempPath(), $"krt-policy-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(policy, Policy);
        // A backtracking matcher needs about C(480, 7) ≈ 10^14 steps for one of these; 60 s is a bound it cannot meet by far.
        var (web, client) = await WebProcess.StartReadyAsync(redis, issuer, channel, new Dictionary<string, string?> { ["POLICY_FILE"] = policy }, clientTimeout: TimeSpan.FromSeconds(60));
        using var process = web;
        using var http = client;
        try
        {
            var image = "ghcr.io/acme/" + new string('a', 480);

            var attacks = Enumerable.Range(0, 4).Select(_ => WebProcess.PostAsync(client, issuer.CreateToken(), $$"""{"image":"{{image}}","tags":["dev"]}""")).ToList();
            foreach (var attack in attacks)
            {
                using var response = await attack;
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                Assert.Contains("image not allowed by policy", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            using var own = await WebProcess.PostAsync(client, issuer.CreateToken());

            Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
            await recorder.NextAsync();
            await recorder.AssertNothingPublishedAsync();
        }
        finally
        {
            web.Stop();
            File.Delete(policy);
        }
    }
}
