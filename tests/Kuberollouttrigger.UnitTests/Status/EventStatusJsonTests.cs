using System.Text;
using Kuberollouttrigger.Contracts.Status;

namespace Kuberollouttrigger.UnitTests.Status;

/// <summary>A status record is read back from Valkey, where anyone who can write may have put anything.</summary>
public sealed class EventStatusJsonTests
{
    public static TheoryData<byte[]> NotStatusRecords() => new()
    {
        Array.Empty<byte>(),
        Encoding.UTF8.GetBytes("not json"),
        Encoding.UTF8.GetBytes("""{"eventId":5}"""),
        Encoding.UTF8.GetBytes("[1,2,3]"),
        WithBytes("{\"eventId\":\"00000000-0000-0000-0000-000000000001\",\"state\":\"done\",\"image\":\"ghcr.io/acme/", [0xC3, 0x28, 0xFF], "\"}"),
        WithBytes("{\"eventId\":\"00000000-0000-0000-0000-000000000001\",\"state\":\"", [0xED, 0xA0, 0x80], "\"}"),
    };

    private static byte[] WithBytes(string head, byte[] middle, string tail) => [.. Encoding.UTF8.GetBytes(head), .. middle, .. Encoding.UTF8.GetBytes(tail)];

    [Theory]
    [MemberData(nameof(NotStatusRecords))]
    public void Anything_but_a_status_record_reads_as_none(byte[] bytes) => Assert.Null(EventStatusJson.Deserialize(bytes));
}
