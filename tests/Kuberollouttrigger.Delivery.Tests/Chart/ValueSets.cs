namespace Kuberollouttrigger.Delivery.Tests.Chart;

/// <summary>The value sets the chart is rendered, linted and validated with: each a way a platform team installs it.</summary>
public static class ValueSets
{
    public const string Required = """
        allowedImagePrefix: ghcr.io/acme
        valkey:
          address: valkey.platform.svc:6379
        web:
          github:
            audience: kuberollouttrigger
            allowedOrg: acme
        """;

    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["defaults and the required values"] = Required,
        ["namespaced RBAC"] = Required + """

            worker:
              namespaces: [shop, blog]
            """,
        ["stream delivery and a policy"] = Required + """

            delivery:
              mode: stream
              stream:
                claimIdle: 2m
            policy: |
              rules:
                - repositories: [acme/app]
                  images: ["{prefix}{repository_name}"]
                  refs: [refs/heads/main]
            worker:
              replicas: 3
              coalesceWindow: 30s
            """,
        ["StatefulSets, DaemonSets and Events"] = Required + """

            worker:
              workloadKinds: [deployments, statefulsets, daemonsets]
              emitEvents: true
            """,
        ["bundled Valkey with a password"] = """
            allowedImagePrefix: ghcr.io/acme
            valkey:
              bundled:
                enabled: true
            web:
              replicas: 1
              github:
                audience: kuberollouttrigger
                allowedOrg: acme
            """,
        ["external Valkey from an existing Secret, TLS, Ingress, OTLP, ServiceMonitor"] = """
            allowedImagePrefix: ghcr.io/acme
            valkey:
              address: valkey.platform.svc:6380
              existingSecret: valkey-credentials
              tls: true
            web:
              github:
                audience: kuberollouttrigger
                allowedOrg: acme
              ingress:
                enabled: true
                host: rollouts.example.com
                statusRoute: true
                annotations:
                  nginx.ingress.kubernetes.io/proxy-read-timeout: "910"
            otel:
              endpoint: http://otel-collector.observability:4317
            metrics:
              serviceMonitor:
                enabled: true
            """,
        ["admission guard, platform extras"] = """
            allowedImagePrefix: ghcr.io/acme
            valkey:
              address: valkey.platform.svc:6379
            global:
              imageRegistry: registry.example.com
            nameOverride: rollouts
            image:
              digest: sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            imagePullSecrets: [{name: ghcr-pull}]
            web:
              github:
                audience: kuberollouttrigger
                allowedOrg: acme
              priorityClassName: platform-critical
              podLabels: {team: platform}
              extraEnv:
                - name: OTEL_RESOURCE_ATTRIBUTES
                  value: deployment.environment=prod
              extraEnvFrom:
                - configMapRef: {name: krt-extra}
              extraVolumes:
                - name: ca
                  configMap: {name: corporate-ca}
              extraVolumeMounts:
                - name: ca
                  mountPath: /etc/corporate-ca
                  readOnly: true
              resources:
                limits: {ephemeral-storage: 64Mi}
            worker:
              admissionGuard:
                enabled: true
              serviceAccount:
                annotations: {example.com/owner: platform}
              topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: topology.kubernetes.io/zone
                  whenUnsatisfiable: ScheduleAnyway
                  labelSelector:
                    matchLabels: {app.kubernetes.io/component: worker}
              tolerations:
                - {key: dedicated, operator: Equal, value: platform, effect: NoSchedule}
              nodeSelector: {kubernetes.io/os: linux}
            """,
    };

    /// <summary>The value sets and the repository's example files, each with helm 3 and helm 4.</summary>
    public static TheoryData<string, string> WithBothHelms()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in All.Keys.Concat(Examples()))
        {
            data.Add(name, "helm3");
            data.Add(name, "helm4");
        }
        return data;
    }

    /// <summary>The values of a set by name, or of an example file (deploy/helm/examples/NAME).</summary>
    public static string Get(string name) =>
        All.TryGetValue(name, out var values) ? values : File.ReadAllText(Tools.Repository.PathOf($"deploy/helm/examples/{name}"));

    private static IEnumerable<string> Examples() =>
        Directory.GetFiles(Tools.Repository.PathOf("deploy/helm/examples"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;
}
