using System.Text.Json.Nodes;

namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>The <c>kind: Status</c> bodies kube-apiserver answers errors with.</summary>
public static class KubeStatus
{
    public static JsonObject Failure(int code, string reason, string message, string? name = null) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["details"] = name is null ? new JsonObject { ["group"] = "apps", ["kind"] = "deployments" } : new JsonObject { ["name"] = name, ["group"] = "apps", ["kind"] = "deployments" },
        ["code"] = code,
    };

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
