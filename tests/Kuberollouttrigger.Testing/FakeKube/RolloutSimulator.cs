using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>
/// A Deployment controller for the fake API server: after an update that changed a Deployment's spec (the store
/// bumped metadata.generation), it advances the status over a few steps, each a MODIFIED watch event with a new
/// resourceVersion, to a complete rollout (Progressing True NewReplicaSetAvailable), or, for a Deployment marked with
/// <see cref="FailRollout"/>, to Progressing False ProgressDeadlineExceeded. A newer generation supersedes an older rollout.
/// </summary>
public sealed class RolloutSimulator : IDisposable
{
    private readonly FakeKubeStore _store;
    private readonly ConcurrentDictionary<string, bool> _failing = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private int _started;
    private int _finished;

    public RolloutSimulator(FakeKubeStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _store.SpecChanged += OnSpecChanged;
    }

    /// <summary>Delay before each status step (three steps per rollout).</summary>
    public TimeSpan StepDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Rollouts begun: the store reports a spec change during the update that made it, so once a PATCH was answered,
    /// this already counts the rollout it started.
    /// </summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>Rollouts driven to their end (complete or failed).</summary>
    public int Finished => Volatile.Read(ref _finished);

    /// <summary>Rollouts of this Deployment end in ProgressDeadlineExceeded from now on.</summary>
    public void FailRollout(string ns, string name) => _failing[ns + "/" + name] = true;

    public void Dispose()
    {
        _store.SpecChanged -= OnSpecChanged;
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void OnSpecChanged(string ns, string name, long generation)
    {
        Interlocked.Increment(ref _started);
        var token = _stopping.Token;
        _ = Task.Run(() => RollAsync(ns, name, generation, token), token);
    }

    private async Task RollAsync(string ns, string name, long generation, CancellationToken cancellationToken)
    {
        var fail = _failing.ContainsKey(ns + "/" + name);
        try
        {
            await Task.Delay(StepDelay, cancellationToken);
            if (!Step(ns, name, generation, (status, replicas) =>
                {
                    status["updatedReplicas"] = 0;
                    status["replicas"] = replicas;
                    status["conditions"] = Conditions(replicas > 0, "True", "ReplicaSetUpdated", $"ReplicaSet \"{name}\" is progressing.");
                }))
                return;
            await Task.Delay(StepDelay, cancellationToken);
            if (!Step(ns, name, generation, (status, replicas) =>
                {
                    status["updatedReplicas"] = replicas;
                    status["replicas"] = replicas + 1;
                    status["readyReplicas"] = fail ? 0 : replicas;
                    status["availableReplicas"] = fail ? 0 : replicas;
                }))
                return;
            await Task.Delay(StepDelay, cancellationToken);
            var ended = Step(ns, name, generation, (status, replicas) =>
            {
                if (fail)
                {
                    status["conditions"] = Conditions(false, "False", "ProgressDeadlineExceeded", $"ReplicaSet \"{name}\" has timed out progressing.");
                    return;
                }
                status["replicas"] = replicas;
                status["updatedReplicas"] = replicas;
                status["readyReplicas"] = replicas;
                status["availableReplicas"] = replicas;
                status["conditions"] = Conditions(true, "True", "NewReplicaSetAvailable", $"ReplicaSet \"{name}\" has successfully progressed.");
            });
            if (ended)
                Interlocked.Increment(ref _finished);
        }
        catch (OperationCanceledException)
        {
            // The simulator was disposed with the test.
        }
    }

    /// <summary>Applies one status step, unless a newer generation took over; false then.</summary>
    private bool Step(string ns, string name, long generation, Action<JsonObject, int> change) =>
        _store.Update(ns, name, deployment =>
        {
            if (Number(deployment["metadata"]?["generation"]) != generation)
                return false;
            var status = deployment["status"] as JsonObject ?? new JsonObject();
            deployment["status"] = status;
            status["observedGeneration"] = generation;
            change(status, (int)(Number(deployment["spec"]?["replicas"]) ?? 1));
            return true;
        }) is not null;

    private static long? Number(JsonNode? node) =>
        node is null ? null : long.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    private static JsonArray Conditions(bool available, string progressing, string reason, string message) =>
    [
        new JsonObject { ["type"] = "Available", ["status"] = available ? "True" : "False", ["reason"] = available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable" },
        new JsonObject { ["type"] = "Progressing", ["status"] = progressing, ["reason"] = reason, ["message"] = message },
    ];
}
