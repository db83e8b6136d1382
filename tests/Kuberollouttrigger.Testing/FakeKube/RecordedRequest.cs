namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>One request that reached the fake API server, as it crossed the wire.</summary>
/// <param name="AnswerLost">Applied, but its client went away before the answer left (a held answer, a killed worker).</param>
public sealed record RecordedRequest(DateTimeOffset At, string Method, string Path, string Query, string? ContentType, string Body, string? Token, string UserAgent, int Status,
    bool AnswerLost = false)
{
    public bool IsWatch => Query.Contains("watch=true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A LIST of any workload resource (deployments, statefulsets, daemonsets).</summary>
    public bool IsList => Method == "GET" && !IsWatch && FakeResource.Workloads.Any(r => Path.EndsWith("/" + r.Plural, StringComparison.Ordinal));

    public bool IsPatch => Method == "PATCH";

    public string QueryValue(string name)
    {
        foreach (var part in Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && part[..eq] == name)
                return Uri.UnescapeDataString(part[(eq + 1)..]);
        }
        return "";
    }
}
