using System.Net;
using System.Text.Json.Nodes;
using Kuberollouttrigger.Delivery.Tests.Image;
using Kuberollouttrigger.Delivery.Tests.Tools;
using Kuberollouttrigger.Testing.Docker;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Network;
using Kuberollouttrigger.Testing.Oidc;

namespace Kuberollouttrigger.Delivery.Tests.Chart;

/// <summary>One install of the chart as containers: its network, the fake API and issuer at the gateway, and the pods it started.</summary>
public sealed class ChartRun : IAsyncDisposable
{
    private const string CaConfigMap = "krt-test-ca";
    private readonly Helm _helm;
    private readonly string _image;
    private readonly TempDirectory _files = new();
    private readonly List<DockerContainer> _pods = [];
    private readonly List<Action<ClusterStandIn>> _setup = [];
    private ClusterStandIn? _cluster;
    private int _webPort;

    private ChartRun(Helm helm, string image, DockerNetwork network, FakeKubernetesApi api, OidcIssuer issuer, string caPem) =>
        (_helm, _image, Network, Api, Issuer, CaPem) = (helm, image, network, api, issuer, caPem);

    public DockerNetwork Network { get; }

    public FakeKubernetesApi Api { get; }

    public OidcIssuer Issuer { get; }

    public string CaPem { get; }

    public string WorkerToken => _cluster!.Tokens.Single().Value;

    public static async Task<ChartRun> StartAsync(string helm)
    {
        var chart = new Helm(helm);
        DeliveryTools.RequireHelm(helm);
        var image = await TestImage.GetAsync();
        var network = await DockerNetwork.CreateAsync(DockerContainer.UniqueName("net"));
        var certificate = TestCertificate.For(network.Gateway);
        var listen = new ListenOn(network.Gateway, certificate);
        return new ChartRun(chart, image, network, await FakeKubernetesApi.StartAsync(listen), await OidcIssuer.StartAsync(listen), TestCertificate.Pem(certificate));
    }

    /// <summary>
    /// Values every run adds: the image under test, the test issuer (https at the gateway, its CA trusted through
    /// extraEnv/extraVolumes as a private CA would be), one web replica.
    /// </summary>
    public string TestValues() => $$"""
        image:
          repository: {{TestImage.Repository}}
          tag: {{TestImage.Tag}}
          pullPolicy: Never
        web:
          replicas: 1
          github:
            issuer: {{Issuer.Issuer}}
            audience: {{OidcIssuer.DefaultAudience}}
            allowedOrg: acme
          extraEnv:
            - name: SSL_CERT_FILE
              value: /etc/test-ca/ca.crt
          extraVolumes:
            - name: test-ca
              configMap:
                name: {{CaConfigMap}}
          extraVolumeMounts:
            - name: test-ca
              mountPath: /etc/test-ca
              readOnly: true

        """;

    public void Cluster(Action<ClusterStandIn> setup) => _setup.Add(setup);

    /// <summary>
    /// Renders the chart with the values documents merged in order (as helm merges several -f files), checks every
    /// object, and starts its pods (Valkey first when bundled), each ready before the next.
    /// </summary>
    public async Task InstallAsync(params string[] values)
    {
        var merged = new JsonObject();
        foreach (var document in values)
            Merge(merged, Testing.Yaml.YamlJson.Parse(document)?.AsObject());
        var objects = await _helm.TemplateAsync(merged.ToJsonString());
        Assert.Empty(objects.SelectMany(KubernetesSchema.Errors));
        _cluster = new ClusterStandIn(Network.Name, Api, CaPem, objects);
        _cluster.AddConfigMap(CaConfigMap, new() { ["ca.crt"] = CaPem });
        foreach (var setup in _setup)
            setup(_cluster);
        var runner = new PodRunner(_cluster, _files);
        foreach (var component in objects.OfKind("Deployment").Select(Rendered.Name).OrderBy(n => n.EndsWith("-valkey", StringComparison.Ordinal) ? 0 : 1))
        {
            var deployment = _cluster.Deployment(component);
            var pod = await runner.StartAsync(deployment);
            _pods.Add(pod);
            await PodRunner.WaitReadyAsync(deployment, pod);
            if (component.EndsWith("-web", StringComparison.Ordinal))
                _webPort = await pod.HostPortAsync(8080);
        }
    }

    /// <summary>POSTs a signed event for ghcr.io/acme/app:dev to the web pod; waits for <paramref name="count"/> PATCH requests and returns their paths.</summary>
    public async Task<List<string>> SendAndWaitForPatchesAsync(int count)
    {
        var since = DateTimeOffset.UtcNow;
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_webPort}") };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent("""{"image":"ghcr.io/acme/app","tags":["dev"]}""", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", Issuer.CreateToken());
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{await LogsAsync()}");
        var worker = _pods.Single(p => p.Name.Contains("-worker-", StringComparison.Ordinal));
        await ContainerProbe.WaitUntilAsync(() => Api.Requests.Count(r => r.IsPatch && r.Status == 200 && r.At >= since) >= count, worker, $"{count} PATCH requests");
        // Nothing more arrives: the event was handled once.
        await Task.Delay(TimeSpan.FromSeconds(1));
        return [.. Api.Requests.Where(r => r.IsPatch && r.At >= since).Select(r => r.Path).Order(StringComparer.Ordinal)];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pod in _pods)
            await pod.DisposeAsync();
        await Api.DisposeAsync();
        await Issuer.DisposeAsync();
        await Network.DisposeAsync();
        _files.Dispose();
    }

    private async Task<string> LogsAsync()
    {
        var logs = new List<string>();
        foreach (var pod in _pods)
            logs.Add($"--- {pod.Name}\n{await pod.LogsAsync()}");
        return string.Join('\n', logs);
    }

    private static void Merge(JsonObject target, JsonObject? source)
    {
        foreach (var (key, value) in source ?? [])
        {
            if (value is JsonObject o && target[key] is JsonObject existing)
                Merge(existing, o);
            else
                target[key] = value?.DeepClone();
        }
    }
}
