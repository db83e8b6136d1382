namespace Kuberollouttrigger.Ingress.Events;

/// <summary>The request body of <c>POST /event</c>: exactly <c>{"image": "...", "tags": ["..."]}</c>.</summary>
public sealed record EventPayload(string Image, IReadOnlyList<string> Tags);
