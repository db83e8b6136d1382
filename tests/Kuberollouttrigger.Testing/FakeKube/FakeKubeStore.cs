using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>
/// The fake API server's etcd: Deployments by namespace and name, one resourceVersion counter, the history of
/// changes that watches replay from (compactable, to force 410 Gone), and the open watches.
/// </summary>
public sealed class FakeKubeStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly List<WatchEvent> _history = [];
    private readonly List<(string? Namespace, Channel<WatchEvent> Channel)> _watches = [];
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

    public void Put(JsonObject deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        lock (_gate)
        {
            var key = KeyOf(deployment);
            var type = _objects.ContainsKey(key) ? "MODIFIED" : "ADDED";
            deployment["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _objects[key] = deployment;
            Emit(type, deployment);
        }
    }

    /// <summary>Applies <paramref name="change"/> to a stored object; bumps generation when the spec changed.</summary>
    public JsonObject? Update(string ns, string name, Func<JsonObject, bool> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        JsonObject result;
        long? newGeneration = null;
        lock (_gate)
        {
            if (!_objects.TryGetValue(ns + "/" + name, out var current))
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
            _objects[ns + "/" + name] = updated;
            Emit("MODIFIED", updated);
            result = (JsonObject)updated.DeepClone();
        }
        if (newGeneration is { } generation)
            SpecChanged?.Invoke(ns, name, generation);
        return result;
    }

    public bool Delete(string ns, string name)
    {
        lock (_gate)
        {
            if (!_objects.Remove(ns + "/" + name, out var removed))
                return false;
            removed["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Emit("DELETED", removed);
            return true;
        }
    }

    public JsonObject? Get(string ns, string name)
    {
        lock (_gate)
            return _objects.TryGetValue(ns + "/" + name, out var found) ? (JsonObject)found.DeepClone() : null;
    }

    /// <summary>A consistent snapshot of one namespace (or all), sorted, with the resourceVersion it was taken at.</summary>
    public (List<JsonObject> Items, long ResourceVersion) Snapshot(string? ns)
    {
        lock (_gate)
        {
            var items = _objects.Values.Where(o => ns is null || NamespaceOf(o) == ns).Select(o => (JsonObject)o.DeepClone()).ToList();
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
    public ChannelReader<WatchEvent>? Watch(string? ns, long fromVersion)
    {
        lock (_gate)
        {
            if (fromVersion < _compactedBefore)
                return null;
            var channel = Channel.CreateUnbounded<WatchEvent>();
            foreach (var e in _history.Where(e => e.ResourceVersion > fromVersion && (ns is null || e.Namespace == ns)))
                channel.Writer.TryWrite(e);
            _watches.Add((ns, channel));
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
            foreach (var (_, channel) in _watches)
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

    private void Emit(string type, JsonObject deployment)
    {
        var e = new WatchEvent(_resourceVersion, type, NamespaceOf(deployment), (JsonObject)deployment.DeepClone());
        _history.Add(e);
        foreach (var (ns, channel) in _watches)
        {
            if (ns is null || ns == e.Namespace)
                channel.Writer.TryWrite(e);
        }
    }

    private static string KeyOf(JsonObject o) => NamespaceOf(o) + "/" + o["metadata"]!["name"]!.GetValue<string>();

    private static string NamespaceOf(JsonObject o) => o["metadata"]!["namespace"]!.GetValue<string>();
}
