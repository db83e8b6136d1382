using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>
/// The fake API server's etcd: workloads by resource, namespace and name, one resourceVersion counter (shared by
/// every resource, as etcd's is), the history of changes that watches replay from (compactable, to force 410 Gone),
/// and the open watches. Methods without a resource mean deployments. Objects are kept as their serialized JSON, shared
/// by the store, its history and every list and watch that serves them, so a store of 100,000 realistic workloads
/// costs their bytes once.
/// </summary>
public sealed class FakeKubeStore
{
    private readonly Lock _gate = new();
    // resource/namespace -> name -> the object's JSON; sorted, so a list comes out in namespace and name order.
    private readonly SortedDictionary<string, SortedDictionary<string, byte[]>> _objects = new(StringComparer.Ordinal);
    private readonly List<WatchEvent> _history = [];
    private readonly List<(string Resource, string? Namespace, Channel<WatchEvent> Channel)> _watches = [];
    private long _resourceVersion = 1000;
    private long _compactedBefore;
    private int _count;

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
                return _count;
        }
    }

    /// <summary>Stores an object under the resource of its <c>kind</c>.</summary>
    public void Put(JsonObject workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var resource = FakeResource.OfKind(workload["kind"]!.GetValue<string>()).Plural;
        var (ns, name) = (NamespaceOf(workload), workload["metadata"]!["name"]!.GetValue<string>());
        Put(resource, ns, name, version =>
        {
            workload["metadata"]!["resourceVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return JsonSerializer.SerializeToUtf8Bytes(workload);
        });
    }

    /// <summary>Stores an object given as the JSON <paramref name="serialize"/> writes for its resourceVersion (a generator's fast path).</summary>
    public void Put(string resource, string ns, string name, Func<long, byte[]> serialize)
    {
        ArgumentNullException.ThrowIfNull(serialize);
        lock (_gate)
        {
            var names = Namespace(resource, ns, create: true)!;
            var type = names.ContainsKey(name) ? "MODIFIED" : "ADDED";
            var json = serialize(++_resourceVersion);
            if (type == "ADDED")
                _count++;
            names[name] = json;
            Emit(resource, type, ns, json);
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
            if (Namespace(resource, ns, create: false) is not { } names || !names.TryGetValue(name, out var stored))
                return null;
            var current = Parse(stored);
            var updated = Parse(stored);
            if (!change(updated))
                return null;
            if (!JsonNode.DeepEquals(current["spec"], updated["spec"]))
            {
                newGeneration = long.Parse(current["metadata"]!["generation"]?.ToJsonString() ?? "1", System.Globalization.CultureInfo.InvariantCulture) + 1;
                updated["metadata"]!["generation"] = newGeneration;
            }
            updated["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var json = JsonSerializer.SerializeToUtf8Bytes(updated);
            names[name] = json;
            Emit(resource, "MODIFIED", ns, json);
            result = updated;
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
            if (Namespace(resource, ns, create: false) is not { } names || !names.Remove(name, out var stored))
                return false;
            _count--;
            var removed = Parse(stored);
            removed["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Emit(resource, "DELETED", ns, JsonSerializer.SerializeToUtf8Bytes(removed));
            return true;
        }
    }

    /// <summary>A copy of a stored object, or null.</summary>
    public JsonObject? Get(string ns, string name, string resource = "deployments")
    {
        lock (_gate)
            return Namespace(resource, ns, create: false) is { } names && names.TryGetValue(name, out var found) ? Parse(found) : null;
    }

    /// <summary>A consistent snapshot of one resource in one namespace (or all), sorted, with the resourceVersion it was taken at.</summary>
    public (List<JsonObject> Items, long ResourceVersion) Snapshot(string? ns, string resource = "deployments")
    {
        var (items, version) = SnapshotJson(ns, resource);
        return ([.. items.Select(Parse)], version);
    }

    /// <summary>As <see cref="Snapshot"/>, the objects as the JSON the server writes (shared, never to be modified).</summary>
    public (List<byte[]> Items, long ResourceVersion) SnapshotJson(string? ns, string resource = "deployments")
    {
        lock (_gate)
        {
            var items = new List<byte[]>();
            if (ns is null)
            {
                foreach (var (key, names) in _objects)
                {
                    if (key.StartsWith(resource + "/", StringComparison.Ordinal))
                        items.AddRange(names.Values);
                }
            }
            else if (Namespace(resource, ns, create: false) is { } names)
            {
                items.AddRange(names.Values);
            }
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

    private void Emit(string resource, string type, string ns, byte[] json)
    {
        var e = new WatchEvent(_resourceVersion, resource, type, ns, json);
        _history.Add(e);
        foreach (var (watched, watchedNamespace, channel) in _watches)
        {
            if (watched == resource && (watchedNamespace is null || watchedNamespace == e.Namespace))
                channel.Writer.TryWrite(e);
        }
    }

    private SortedDictionary<string, byte[]>? Namespace(string resource, string ns, bool create)
    {
        var key = resource + "/" + ns;
        if (_objects.TryGetValue(key, out var names) || !create)
            return names;
        return _objects[key] = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
    }

    private static JsonObject Parse(byte[] json) => JsonNode.Parse(json)!.AsObject();

    private static string NamespaceOf(JsonObject o) => o["metadata"]!["namespace"]!.GetValue<string>();
}
