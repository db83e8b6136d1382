using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kuberollouttrigger.Delivery.Tests.Tools;
using Kuberollouttrigger.Testing.Docker;

namespace Kuberollouttrigger.Delivery.Tests.Chart;

/// <summary>
/// Runs the pod of a rendered Deployment as a Docker container, as the kubelet would: exactly the container's image,
/// command, args (with $(VAR) expanded), env (values, Secret and ConfigMap references resolved), envFrom, volume mounts
/// (emptyDir as a world-writable directory, ConfigMaps and Secrets as read-only files), security context (user, read-only root, dropped
/// capabilities, no privilege escalation) and limits; plus what the kubelet adds: the service account token mount and
/// KUBERNETES_SERVICE_HOST/PORT. It joins the cluster's network under the names of the Services that select it, and
/// publishes its container ports on 127.0.0.1.
/// </summary>
public sealed class PodRunner(ClusterStandIn cluster, TempDirectory files)
{
    private const string ServiceAccountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    public async Task<DockerContainer> StartAsync(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var pod = deployment.Spec.Template;
        var spec = pod.Spec;
        var container = Assert.Single(spec.Containers);
        var name = DockerContainer.UniqueName(container.Name);
        var run = new List<string> { "--network", cluster.Network };
        foreach (var alias in cluster.ServiceNamesSelecting(pod.Metadata.Labels))
            run.AddRange(["--network-alias", alias]);
        run.AddRange(SecurityOptions(spec.SecurityContext, container.SecurityContext));
        run.AddRange(Limits(container.Resources));

        var env = Environment(container, deployment.Namespace() ?? Helm.Namespace);
        if (spec.AutomountServiceAccountToken != false)
        {
            env["KUBERNETES_SERVICE_HOST"] = cluster.ApiHost;
            env["KUBERNETES_SERVICE_PORT"] = cluster.ApiPort.ToString(CultureInfo.InvariantCulture);
            var dir = $"{name}/serviceaccount";
            files.Write($"{dir}/token", cluster.TokenOf(spec.ServiceAccountName ?? "default"));
            files.Write($"{dir}/ca.crt", cluster.CaPem);
            files.Write($"{dir}/namespace", Helm.Namespace);
            run.AddRange(["-v", $"{Path.Combine(files.Path, dir)}:{ServiceAccountPath}:ro"]);
        }
        foreach (var (key, value) in env)
            run.AddRange(["-e", $"{key}={value}"]);
        foreach (var mount in container.VolumeMounts ?? [])
            run.AddRange(Mount(name, mount, spec.Volumes.Single(v => v.Name == mount.Name)));
        foreach (var port in container.Ports ?? [])
            run.AddRange(["-p", $"127.0.0.1::{port.ContainerPort}"]);

        if (container.Command is { Count: > 0 } command)
        {
            run.AddRange(["--entrypoint", Expand(command[0], env), container.Image, .. command.Skip(1).Select(c => Expand(c, env))]);
        }
        else
        {
            run.Add(container.Image);
        }
        run.AddRange((container.Args ?? []).Select(a => Expand(a, env)));
        return await DockerContainer.RunAsync(name, run);
    }

    /// <summary>Waits until the container's readiness probe (httpGet or tcpSocket, through its published port) succeeds.</summary>
    public static async Task WaitReadyAsync(V1Deployment deployment, DockerContainer running)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(running);
        var container = deployment.Spec.Template.Spec.Containers[0];
        var probe = container.ReadinessProbe;
        var port = await running.HostPortAsync(ContainerPort(container, probe.HttpGet?.Port ?? probe.TcpSocket.Port));
        if (probe.HttpGet is { } http)
        {
            await ContainerProbe.WaitReadyAsync(new Uri($"http://127.0.0.1:{port}{http.Path}"), running);
            return;
        }
        await ContainerProbe.WaitUntilAsync(async () =>
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port);
                // docker's proxy accepts before the container does; a server that answers is really there.
                await client.GetStream().WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[64];
                return await client.GetStream().ReadAsync(buffer) > 0;
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                return false;
            }
        }, running, $"port {port} to answer");
    }

    public static int ContainerPort(V1Container container, IntOrString port)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(port);
        return int.TryParse(port.Value, CultureInfo.InvariantCulture, out var number)
            ? number
            : container.Ports.Single(p => p.Name == port.Value).ContainerPort;
    }

    private static IEnumerable<string> SecurityOptions(V1PodSecurityContext? pod, V1SecurityContext? container)
    {
        var user = container?.RunAsUser ?? pod?.RunAsUser;
        var group = container?.RunAsGroup ?? pod?.RunAsGroup;
        if (user is not null)
            yield return $"--user={user}{(group is null ? "" : $":{group}")}";
        if (pod?.FsGroup is { } fsGroup)
            yield return $"--group-add={fsGroup}";
        if (container?.ReadOnlyRootFilesystem == true)
            yield return "--read-only";
        if (container?.Capabilities?.Drop?.Contains("ALL") == true)
            yield return "--cap-drop=ALL";
        if (container?.AllowPrivilegeEscalation == false)
            yield return "--security-opt=no-new-privileges";
    }

    private static IEnumerable<string> Limits(V1ResourceRequirements? resources)
    {
        if (resources?.Limits?.TryGetValue("memory", out var memory) == true)
            yield return $"--memory={memory.ToInt64()}";
        if (resources?.Limits?.TryGetValue("cpu", out var cpu) == true)
            yield return $"--cpus={cpu.ToDecimal().ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The container's environment in order, each value expanded against the ones before it.</summary>
    private Dictionary<string, string> Environment(V1Container container, string ns)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var from in container.EnvFrom ?? [])
        {
            var source = from.SecretRef is { } s ? cluster.Secret(s.Name) : cluster.ConfigMap(from.ConfigMapRef.Name);
            foreach (var (key, value) in source ?? [])
                env[(from.Prefix ?? "") + key] = value;
        }
        foreach (var variable in container.Env ?? [])
        {
            var value = variable.ValueFrom switch
            {
                null => Expand(variable.Value ?? "", env),
                { SecretKeyRef: { } r } => cluster.Secret(r.Name)?.GetValueOrDefault(r.Key) ?? Missing(r.Optional, $"Secret {r.Name} key {r.Key}"),
                { ConfigMapKeyRef: { } r } => cluster.ConfigMap(r.Name)?.GetValueOrDefault(r.Key) ?? Missing(r.Optional, $"ConfigMap {r.Name} key {r.Key}"),
                { FieldRef.FieldPath: "metadata.namespace" } => ns,
                _ => throw new NotSupportedException($"env {variable.Name}: {KubernetesJson.Serialize(variable.ValueFrom)}"),
            };
            if (value is not null)
                env[variable.Name] = value;
        }
        return env;
    }

    private static string? Missing(bool? optional, string what) =>
        optional == true ? null : throw new InvalidOperationException($"the pod would not start: {what} does not exist");

    private IEnumerable<string> Mount(string pod, V1VolumeMount mount, V1Volume volume)
    {
        if (volume.EmptyDir is not null)
        {
            // As the kubelet makes an emptyDir: a directory of the node, writable by any user of the pod.
            var emptyDir = files.Directory($"{pod}/volumes/{volume.Name}", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
            return ["-v", $"{emptyDir}:{mount.MountPath}"];
        }
        var (content, what) = volume.ConfigMap is { } configMap
            ? (cluster.ConfigMap(configMap.Name), $"ConfigMap {configMap.Name}")
            : volume.Secret is { } secret ? (cluster.Secret(secret.SecretName), $"Secret {secret.SecretName}") : (null, volume.Name);
        if (content is null)
            throw new InvalidOperationException($"the pod would not start: volume {volume.Name} needs {what}, which does not exist");
        var dir = $"{pod}/volumes/{volume.Name}";
        foreach (var (key, value) in content)
            files.Write($"{dir}/{key}", value);
        return ["-v", $"{Path.Combine(files.Path, dir)}:{mount.MountPath}:ro"];
    }

    /// <summary>The kubelet's expansion of $(VAR) in command, args and env values: defined names are replaced, $$ is a $, the rest stays.</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> env)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(env);
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$' || i + 1 >= text.Length)
            {
                result.Append(text[i]);
                continue;
            }
            if (text[i + 1] == '$')
            {
                result.Append('$');
                i++;
                continue;
            }
            var close = text[i + 1] == '(' ? text.IndexOf(')', i + 2) : -1;
            if (close > 0 && env.TryGetValue(text[(i + 2)..close], out var value))
            {
                result.Append(value);
                i = close;
                continue;
            }
            result.Append(text[i]);
        }
        return result.ToString();
    }
}
