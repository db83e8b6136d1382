using System.Text.Json.Nodes;

namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>A change in the fake store, as a watch streams it.</summary>
public sealed record WatchEvent(long ResourceVersion, string Resource, string Type, string Namespace, JsonObject Object);
