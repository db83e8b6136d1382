namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>A change in the fake store, as a watch streams it: the object as its JSON (shared, never modified).</summary>
public sealed record WatchEvent(long ResourceVersion, string Resource, string Type, string Namespace, byte[] Object);
