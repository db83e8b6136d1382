using System.Text.Json.Nodes;

namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>The <c>kind: Status</c> bodies kube-apiserver answers errors with.</summary>
public static class KubeStatus
{
    public static JsonObject Failure(int code, string reason, string message, string? name = null, FakeResource? resource = null) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["details"] = Details(name, resource ?? FakeResource.Deployments),
        ["code"] = code,
    };

    private static JsonObject Details(string? name, FakeResource resource)
    {
        var details = new JsonObject { ["group"] = resource.Group, ["kind"] = resource.Plural };
        if (name is not null)
            details.Insert(0, "name", name);
        return details;
    }

    public static string ReasonFor(int code) => code switch
    {
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        410 => "Expired",
        415 => "UnsupportedMediaType",
        422 => "Invalid",
        429 => "TooManyRequests",
        500 => "InternalError",
        503 => "ServiceUnavailable",
        _ => "Unknown",
    };
}
