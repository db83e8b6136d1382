using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Kuberollouttrigger.Testing.FakeKube;

public sealed partial class FakeKubernetesApi
{
    /// <summary>POST /api/v1/namespaces/{ns}/events: names it from generateName as kube-apiserver does, keeps it, answers 201.</summary>
    private async Task<int> CreateEventAsync(HttpContext context, string ns, string body)
    {
        JsonObject? created;
        try
        {
            created = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            created = null;
        }
        if (created?["metadata"] is not JsonObject metadata || created["involvedObject"] is not JsonObject)
            return await WriteStatusAsync(context, 422, "an Event needs metadata and involvedObject", resource: FakeResource.Events);
        if (metadata["namespace"]?.GetValue<string>() is { } bodyNamespace && bodyNamespace != ns)
            return await WriteStatusAsync(context, 400, "the namespace of the provided object does not match the namespace sent on the request", resource: FakeResource.Events);

        metadata["namespace"] = ns;
        if (metadata["name"] is null)
            metadata["name"] = (metadata["generateName"]?.GetValue<string>() ?? "") + Guid.NewGuid().ToString("N")[..5];
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["resourceVersion"] = Store.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        _events.Enqueue((JsonObject)created.DeepClone());
        return await WriteJsonAsync(context, 201, created);
    }
}
