using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Kuberollouttrigger.Testing.FakeKube;

public sealed partial class FakeKubernetesApi
{
    private async Task<int> ListAsync(HttpContext context, ResourceRoute route)
    {
        var query = context.Request.Query;
        var limit = int.TryParse(query["limit"], out var l) && l > 0 ? l : int.MaxValue;
        List<byte[]> items;
        long version;
        var offset = 0;
        string continueId;
        if (query["continue"].ToString() is { Length: > 0 } continueToken)
        {
            var parts = continueToken.Split(':');
            continueId = parts[0];
            if (parts.Length != 2 || !_pagedLists.TryGetValue(continueId, out var snapshot) || !int.TryParse(parts[1], out offset))
                return await WriteStatusAsync(context, 410, "The provided continue parameter is too old to display a consistent list result.");
            (items, version) = snapshot;
        }
        else
        {
            (items, version) = Store.SnapshotJson(route.Namespace, route.Resource.Plural);
            continueId = Guid.NewGuid().ToString("N");
        }

        var page = items.Skip(offset).Take(limit).ToList();
        var next = offset + page.Count;
        var metadata = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) };
        if (next < items.Count)
        {
            _pagedLists[continueId] = (items, version);
            metadata["continue"] = $"{continueId}:{next}";
            metadata["remainingItemCount"] = items.Count - next;
        }
        else
        {
            _pagedLists.TryRemove(continueId, out _);
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        // The stored JSON goes out as it is: no object is parsed or copied to serve a list.
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", route.Resource.Kind + "List");
            writer.WriteString("apiVersion", route.Resource.ApiVersion);
            writer.WritePropertyName("metadata");
            metadata.WriteTo(writer);
            writer.WriteStartArray("items");
            foreach (var item in page)
            {
                writer.WriteRawValue(item, skipInputValidation: true);
                if (writer.BytesPending > 64 * 1024)
                    await writer.FlushAsync();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return 200;
    }

    private async Task<int> WatchAsync(HttpContext context, ResourceRoute route)
    {
        var query = context.Request.Query;
        var from = long.TryParse(query["resourceVersion"], out var v) ? v : Store.ResourceVersion;
        var bookmarks = query["allowWatchBookmarks"] == "true";
        var timeout = int.TryParse(query["timeoutSeconds"], out var t) && t > 0 ? TimeSpan.FromSeconds(t) : TimeSpan.FromMinutes(30);

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var events = Store.Watch(route.Namespace, from, route.Resource.Plural);
        if (events is null)
        {
            var gone = KubeStatus.Failure(410, "Expired", $"too old resource version: {from} ({Store.ResourceVersion})");
            await WriteEventAsync(context, "ERROR", gone);
            return 200;
        }

        using var ends = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        ends.CancelAfter(timeout);
        await context.Response.Body.FlushAsync(ends.Token);
        var lastVersion = from;
        try
        {
            while (true)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(ends.Token);
                if (bookmarks)
                    tick.CancelAfter(BookmarkInterval);
                try
                {
                    if (!await events.WaitToReadAsync(tick.Token))
                        break;
                }
                catch (OperationCanceledException) when (!ends.IsCancellationRequested)
                {
                    var bookmark = new JsonObject
                    {
                        ["kind"] = route.Resource.Kind,
                        ["apiVersion"] = route.Resource.ApiVersion,
                        ["metadata"] = new JsonObject { ["resourceVersion"] = Math.Max(lastVersion, Store.ResourceVersion).ToString(CultureInfo.InvariantCulture) },
                    };
                    await WriteEventAsync(context, "BOOKMARK", bookmark);
                    continue;
                }
                while (events.TryRead(out var e))
                {
                    lastVersion = e.ResourceVersion;
                    await WriteEventAsync(context, e.Type, e.Object);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Timeout, client gone, or server stopping: the stream just ends, as kube-apiserver's does.
        }
        finally
        {
            Store.EndWatch(events);
        }
        return 200;
    }

    private async Task<int> PatchAsync(HttpContext context, ResourceRoute route, string body)
    {
        var (ns, name, resource) = (route.Namespace!, route.Name!, route.Resource);
        var mediaType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
        if (mediaType is not ("application/strategic-merge-patch+json" or "application/merge-patch+json" or "application/json-patch+json" or "application/apply-patch+yaml"))
            return await WriteStatusAsync(context, 415, $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json");

        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return await WriteStatusAsync(context, 400, "the request body is not valid JSON");
        }

        var updated = Store.Update(ns, name, target => mediaType == "application/json-patch+json"
            ? patch is JsonArray ops && JsonPatching.TryApplyJsonPatch(target, ops)
            : patch is JsonObject && JsonPatching.Merge(target, patch) is not null, resource.Plural);
        if (updated is null)
        {
            return Store.Get(ns, name, resource.Plural) is null
                ? await WriteStatusAsync(context, 404, $"{resource.QualifiedName} \"{name}\" not found", name, resource)
                : await WriteStatusAsync(context, 422, "the patch could not be applied", name, resource);
        }
        return await WriteJsonAsync(context, 200, updated);
    }

    private static Task WriteEventAsync(HttpContext context, string type, JsonObject item) =>
        WriteEventAsync(context, type, JsonSerializer.SerializeToUtf8Bytes(item));

    private static async Task WriteEventAsync(HttpContext context, string type, byte[] item)
    {
        var line = new byte[item.Length + type.Length + 24];
        var length = Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":", line);
        item.CopyTo(line, length);
        length += item.Length;
        line[length++] = (byte)'}';
        line[length++] = (byte)'\n';
        await context.Response.Body.WriteAsync(line.AsMemory(0, length));
        await context.Response.Body.FlushAsync();
    }
}
