using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>
/// Deployments shaped like production ones, about 8 KB of JSON each: three containers (the application's image and two
/// sidecars outside any prefix) with resources, probes, ports, env and mounts, ten labels, annotations, volumes and a
/// status with conditions. Written from one template cut at its variable parts, so seeding 100,000 takes seconds.
/// </summary>
public static class RealisticDeployments
{
    private const string Marker = "@@";
    private static readonly string[] Segments = Template().Split(Marker);

    /// <summary>Seeds <paramref name="count"/> Deployments <c>svc-NNNNNN</c> round-robin over <paramref name="namespaces"/> namespaces <c>team-NNNN</c>; <paramref name="image"/> gives the application image of the i-th.</summary>
    public static void Seed(FakeKubernetesApi api, int count, int namespaces, Func<int, string> image)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(image);
        for (var i = 0; i < count; i++)
        {
            var ns = NamespaceName(i % namespaces);
            var name = $"svc-{i:D6}";
            var applicationImage = image(i);
            api.Store.Put("deployments", ns, name, version => Json(ns, name, applicationImage, version));
        }
        // Seeding is not history a watch should replay.
        api.Store.Compact();
    }

    public static string NamespaceName(int n) => $"team-{n:D4}";

    /// <summary>One Deployment's JSON at <paramref name="resourceVersion"/>.</summary>
    public static byte[] Json(string ns, string name, string image, long resourceVersion)
    {
        ArgumentNullException.ThrowIfNull(name);
        var values = new[] { name, ns, Guid.NewGuid().ToString(), resourceVersion.ToString(CultureInfo.InvariantCulture), image };
        var text = new StringBuilder(8 * 1024);
        for (var i = 0; i < Segments.Length; i++)
        {
            text.Append(Segments[i]);
            if (i < Segments.Length - 1)
                text.Append(values[Slots[i]]);
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    // Which value each marker stands for, in the order they appear in the template (see Template).
    private static readonly int[] Slots = BuildSlots();

    private static int[] BuildSlots()
    {
        var order = new List<int>();
        var template = Template(withSlotNumbers: true);
        for (var at = template.IndexOf(Marker, StringComparison.Ordinal); at >= 0; at = template.IndexOf(Marker, at + 3, StringComparison.Ordinal))
            order.Add(template[at + 2] - '0');
        return [.. order];
    }

    /// <summary>The object with each variable part written as the marker (followed by its slot number when asked).</summary>
    private static string Template(bool withSlotNumbers = false)
    {
        string Slot(int n) => withSlotNumbers ? Marker + n.ToString(CultureInfo.InvariantCulture) : Marker;
        var (name, ns, uid, version, image) = (Slot(0), Slot(1), Slot(2), Slot(3), Slot(4));
        var labels = new JsonObject
        {
            ["app"] = name,
            ["app.kubernetes.io/name"] = name,
            ["app.kubernetes.io/instance"] = name + "-prod",
            ["app.kubernetes.io/version"] = "2024.11.3",
            ["app.kubernetes.io/component"] = "backend",
            ["app.kubernetes.io/part-of"] = "storefront",
            ["app.kubernetes.io/managed-by"] = "Helm",
            ["helm.sh/chart"] = "service-4.12.0",
            ["team"] = "payments",
            ["tier"] = "critical",
        };
        JsonObject Container(string containerName, string containerImage, int port) => new()
        {
            ["name"] = containerName,
            ["image"] = containerImage,
            ["imagePullPolicy"] = "IfNotPresent",
            ["args"] = new JsonArray("--config=/etc/app/config.yaml", "--log-format=json", $"--port={port}"),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = port, ["protocol"] = "TCP" }, new JsonObject { ["name"] = "metrics", ["containerPort"] = port + 1, ["protocol"] = "TCP" }),
            ["env"] = new JsonArray(
                new JsonObject { ["name"] = "ASPNETCORE_ENVIRONMENT", ["value"] = "Production" },
                new JsonObject { ["name"] = "OTEL_EXPORTER_OTLP_ENDPOINT", ["value"] = "http://otel-collector.observability:4317" },
                new JsonObject { ["name"] = "POD_NAME", ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = "metadata.name" } } },
                new JsonObject { ["name"] = "DB_PASSWORD", ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = name + "-db", ["key"] = "password" } } }),
            ["resources"] = new JsonObject
            {
                ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "128Mi" },
                ["limits"] = new JsonObject { ["cpu"] = "1", ["memory"] = "512Mi" },
            },
            ["livenessProbe"] = Probe("/healthz", port),
            ["readinessProbe"] = Probe("/readyz", port),
            ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "config", ["mountPath"] = "/etc/app", ["readOnly"] = true }, new JsonObject { ["name"] = "tmp", ["mountPath"] = "/tmp" }),
            ["securityContext"] = new JsonObject
            {
                ["allowPrivilegeEscalation"] = false,
                ["readOnlyRootFilesystem"] = true,
                ["runAsNonRoot"] = true,
                ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
            },
            ["terminationMessagePath"] = "/dev/termination-log",
            ["terminationMessagePolicy"] = "File",
        };
        var deployment = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["uid"] = uid,
                ["resourceVersion"] = version,
                ["generation"] = 7,
                ["creationTimestamp"] = "2024-03-02T10:15:00Z",
                ["labels"] = labels.DeepClone(),
                ["annotations"] = new JsonObject
                {
                    ["deployment.kubernetes.io/revision"] = "7",
                    ["meta.helm.sh/release-name"] = name,
                    ["meta.helm.sh/release-namespace"] = ns,
                },
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 3,
                ["revisionHistoryLimit"] = 10,
                ["progressDeadlineSeconds"] = 600,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name, ["app.kubernetes.io/instance"] = name + "-prod" } },
                ["strategy"] = new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxSurge"] = "25%", ["maxUnavailable"] = "25%" } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["labels"] = labels.DeepClone(),
                        ["annotations"] = new JsonObject { ["prometheus.io/scrape"] = "true", ["prometheus.io/port"] = "8081" },
                    },
                    ["spec"] = new JsonObject
                    {
                        ["serviceAccountName"] = name,
                        ["terminationGracePeriodSeconds"] = 30,
                        ["dnsPolicy"] = "ClusterFirst",
                        ["restartPolicy"] = "Always",
                        ["schedulerName"] = "default-scheduler",
                        ["securityContext"] = new JsonObject { ["runAsUser"] = 10001, ["fsGroup"] = 10001, ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" } },
                        ["containers"] = new JsonArray(
                            Container("app", image, 8080),
                            Container("envoy", "docker.io/envoyproxy/envoy:v1.31.2", 9901),
                            Container("log-shipper", "cr.fluentbit.io/fluent/fluent-bit:3.1.9", 2020)),
                        ["volumes"] = new JsonArray(
                            new JsonObject { ["name"] = "config", ["configMap"] = new JsonObject { ["name"] = name + "-config", ["defaultMode"] = 420 } },
                            new JsonObject { ["name"] = "tmp", ["emptyDir"] = new JsonObject { ["sizeLimit"] = "64Mi" } }),
                        ["topologySpreadConstraints"] = new JsonArray(new JsonObject
                        {
                            ["maxSkew"] = 1,
                            ["topologyKey"] = "topology.kubernetes.io/zone",
                            ["whenUnsatisfiable"] = "ScheduleAnyway",
                            ["labelSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                        }),
                    },
                },
            },
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = 7,
                ["replicas"] = 3,
                ["updatedReplicas"] = 3,
                ["readyReplicas"] = 3,
                ["availableReplicas"] = 3,
                ["conditions"] = new JsonArray(
                    Condition("Available", "MinimumReplicasAvailable", "Deployment has minimum availability."),
                    Condition("Progressing", "NewReplicaSetAvailable", $"ReplicaSet \"{name}-7c9d8f6b5\" has successfully progressed.")),
            },
        };
        return deployment.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static JsonObject Probe(string path, int port) => new()
    {
        ["httpGet"] = new JsonObject { ["path"] = path, ["port"] = port, ["scheme"] = "HTTP" },
        ["initialDelaySeconds"] = 5,
        ["periodSeconds"] = 10,
        ["timeoutSeconds"] = 2,
        ["successThreshold"] = 1,
        ["failureThreshold"] = 3,
    };

    private static JsonObject Condition(string type, string reason, string message) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastUpdateTime"] = "2024-11-03T08:00:00Z",
        ["lastTransitionTime"] = "2024-11-03T08:00:00Z",
        ["reason"] = reason,
        ["message"] = message,
    };
}
