using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>
/// The fake API server's etcd: workloads by resource, namespace and name, one resourceVersion counter (shared by
/// every resource, as etcd's is), the history of changes that watches replay from (compactable, to force 410 Gone),
/// and the open watches. Methods without a resource mean deployments.
/// </summary>
public sealed class FakeKubeStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly List<WatchEvent> _history = [];
    private readonly List<(string Resource, string? Namespace, Channel<WatchEvent> Channel)> _watches = [];
    private long _resourceVersion = 1000;
    private long _compactedBefore;

    /// <summary>Raised (outside the store's lock) with namespace, name and new generation after an update changed the spec.</summary>
    public event Action<string, string, long>? SpecChanged;

    public long ResourceVersion
    {
        get
        {
            lock (_gate)
                return _resourceVersion;
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
                return _objects.Count;
        }
    }

    /// <summary>Stores an object under the resource of its <c>kind</c>.</summary>
    public void Put(JsonObject workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        lock (_gate)
        {
            var resource = FakeResource.OfKind(workload["kind"]!.GetValue<string>()).Plural;
            var key = Key(resource, NamespaceOf(workload), workload["metadata"]!["name"]!.GetValue<string>());
            var type = _objects.ContainsKey(key) ? "MODIFIED" : "ADDED";
            workload["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _objects[key] = workload;
            Emit(resource, type, workload);
        }
    }

    /// <summary>Applies <paramref name="change"/> to a stored object; bumps generation when the spec changed.</summary>
    public JsonObject? Update(string ns, string name, Func<JsonObject, bool> change, string resource = "deployments")
    {
        ArgumentNullException.ThrowIfNull(change);
        JsonObject result;
        long? newGeneration = null;
        lock (_gate)
        {
            if (!_objects.TryGetValue(Key(resource, ns, name), out var current))
                return null;
            var updated = (JsonObject)current.DeepClone();
            if (!change(updated))
                return null;
            if (!JsonNode.DeepEquals(current["spec"], updated["spec"]))
            {
                newGeneration = long.Parse(current["metadata"]!["generation"]?.ToJsonString() ?? "1", System.Globalization.CultureInfo.InvariantCulture) + 1;
                updated["metadata"]!["generation"] = newGeneration;
            }
            updated["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _objects[Key(resource, ns, name)] = updated;
            Emit(resource, "MODIFIED", updated);
            result = (JsonObject)updated.DeepClone();
        }
        // The simulated controller (RolloutSimulator) drives Deployments only.
        if (newGeneration is { } generation && resource == "deployments")
            SpecChanged?.Invoke(ns, name, generation);
        return result;
    }

    public bool Delete(string ns, string name, string resource = "deployments")
    {
        lock (_gate)
        {
            if (!_objects.Remove(Key(resource, ns, name), out var removed))
                return false;
            removed["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Emit(resource, "DELETED", removed);
            return true;
        }
    }

    public JsonObject? Get(string ns, string name, string resource = "deployments")
    {
        lock (_gate)
            return _objects.TryGetValue(Key(resource, ns, name), out var found) ? (JsonObject)found.DeepClone() : null;
    }

    /// <summary>A consistent snapshot of one resource in one namespace (or all), sorted, with the resourceVersion it was taken at.</summary>
    public (List<JsonObject> Items, long ResourceVersion) Snapshot(string? ns, string resource = "deployments")
    {
        lock (_gate)
        {
            var items = _objects.Where(o => o.Key.StartsWith(resource + "/", StringComparison.Ordinal) && (ns is null || NamespaceOf(o.Value) == ns))
                .Select(o => o.Value).Select(o => (JsonObject)o.DeepClone()).ToList();
            return (items, _resourceVersion);
        }
    }

    /// <summary>Forgets history up to now: a watch resuming from an older resourceVersion gets 410 Gone.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _compactedBefore = _resourceVersion;
            _history.Clear();
        }
    }

    /// <summary>Opens a watch from <paramref name="fromVersion"/>; null when that version is compacted away.</summary>
    public ChannelReader<WatchEvent>? Watch(string? ns, long fromVersion, string resource = "deployments")
    {
        lock (_gate)
        {
            if (fromVersion < _compactedBefore)
                return null;
            var channel = Channel.CreateUnbounded<WatchEvent>();
            foreach (var e in _history.Where(e => e.ResourceVersion > fromVersion && e.Resource == resource && (ns is null || e.Namespace == ns)))
                channel.Writer.TryWrite(e);
            _watches.Add((resource, ns, channel));
            return channel.Reader;
        }
    }

    public void EndWatch(ChannelReader<WatchEvent> reader)
    {
        lock (_gate)
            _watches.RemoveAll(w => w.Channel.Reader == reader);
    }

    /// <summary>Ends every open watch, as an API server restart or a load balancer timeout would.</summary>
    public void CloseAllWatches()
    {
        lock (_gate)
        {
            foreach (var (_, _, channel) in _watches)
                channel.Writer.TryComplete();
            _watches.Clear();
        }
    }

    public int OpenWatches
    {
        get
        {
            lock (_gate)
                return _watches.Count;
        }
    }

    private void Emit(string resource, string type, JsonObject workload)
    {
        var e = new WatchEvent(_resourceVersion, resource, type, NamespaceOf(workload), (JsonObject)workload.DeepClone());
        _history.Add(e);
        foreach (var (watched, ns, channel) in _watches)
        {
            if (watched == resource && (ns is null || ns == e.Namespace))
                channel.Writer.TryWrite(e);
        }
    }

    private static string Key(string resource, string ns, string name) => $"{resource}/{ns}/{name}";

    private static string NamespaceOf(JsonObject o) => o["metadata"]!["namespace"]!.GetValue<string>();
}
