using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using Kuberollouttrigger.RolloutWorker.Cluster;

namespace Kuberollouttrigger.UnitTests.Cluster;

/// <summary>
/// The worker reads a kubeconfig with YamlDotNet and its own model's attributes, not KubernetesClient's reader (whose
/// name tables for every model type stay on the heap): both readers give the same client configuration.
/// </summary>
public sealed class KubeconfigReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("krt-kubeconfig-").FullName;

    // A CA in the file and one beside it (a relative path), a token user and a client-certificate user, two contexts.
    private const string Kubeconfig = """
        apiVersion: v1
        kind: Config
        current-context: dev
        preferences: {}
        clusters:
        - name: dev-cluster
          cluster:
            server: https://127.0.0.1:6443
            certificate-authority: ca.crt
            tls-server-name: kubernetes.default
        - name: prod-cluster
          cluster:
            server: https://10.0.0.1:443
            insecure-skip-tls-verify: true
        contexts:
        - name: dev
          context:
            cluster: dev-cluster
            user: dev-user
            namespace: team-a
        - name: prod
          context:
            cluster: prod-cluster
            user: prod-user
        users:
        - name: dev-user
          user:
            token: dev-token-value
        - name: prod-user
          user:
            username: admin
            password: secret
        """;

    [Theory]
    [InlineData(null)]
    [InlineData("prod")]
    public void Both_readers_give_the_same_configuration(string? context)
    {
        var path = Path.Combine(_directory, "config");
        File.WriteAllText(path, Kubeconfig);
        File.WriteAllText(Path.Combine(_directory, "ca.crt"), TestCertificate);

        var theirs = KubernetesClientConfiguration.BuildConfigFromConfigFile(path, context);
        var ours = KubernetesClientConfiguration.BuildConfigFromConfigObject(KubernetesClientFactory.ReadKubeconfig(path), context);

        Assert.Equal(theirs.Host, ours.Host);
        Assert.Equal(theirs.Namespace, ours.Namespace);
        Assert.Equal(theirs.AccessToken, ours.AccessToken);
        Assert.Equal(theirs.Username, ours.Username);
        Assert.Equal(theirs.Password, ours.Password);
        Assert.Equal(theirs.SkipTlsVerify, ours.SkipTlsVerify);
        Assert.Equal(theirs.TlsServerName, ours.TlsServerName);
        Assert.Equal(theirs.CurrentContext, ours.CurrentContext);
        Assert.Equal(theirs.SslCaCerts?.Count, ours.SslCaCerts?.Count);
        Assert.Equal(context ?? "dev", ours.CurrentContext);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // A throwaway self-signed certificate, only parsed, never trusted.
    private static string TestCertificate
    {
        get
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=test-ca", key, HashAlgorithmName.SHA256);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            return certificate.ExportCertificatePem();
        }
    }
}
