using System.Collections;

namespace Kuberollouttrigger.Common.Hosting;

/// <summary>The log scope of one request: every line written while it is handled carries its <c>request_id</c> (the X-Request-Id).</summary>
public sealed class RequestIdScope(string requestId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new("request_id", requestId) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "request " + requestId;
}
