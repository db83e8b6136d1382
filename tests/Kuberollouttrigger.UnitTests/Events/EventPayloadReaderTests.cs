using System.Text;
using Kuberollouttrigger.Ingress.Events;

namespace Kuberollouttrigger.UnitTests.Events;

public sealed class EventPayloadReaderTests
{
    [Fact]
    public void Reads_the_exact_shape()
    {
        var result = Read("""{ "image" : "ghcr.io/acme/app", "tags" : ["dev", "v1"] }  """);

        Assert.Null(result.Error);
        Assert.Equal("ghcr.io/acme/app", result.Payload!.Image);
        Assert.Equal(["dev", "v1"], result.Payload.Tags);
    }

    [Fact]
    public void Utf8_byte_order_mark_is_ignored()
    {
        var body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("""{"image":"ghcr.io/acme/app","tags":["dev"]}""")).ToArray();

        Assert.Null(EventPayloadReader.Read(body).Error);
    }

    [Fact]
    public void Member_order_does_not_matter() =>
        Assert.Null(Read("""{"tags":["dev"],"image":"ghcr.io/acme/app"}""").Error);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "not valid JSON")]
    [InlineData("null", "must be a JSON object")]
    [InlineData("\"x\"", "must be a JSON object")]
    [InlineData("{}", "missing member 'image'")]
    [InlineData("""{"image":"a"}""", "missing member 'tags'")]
    [InlineData("""{"image":"a","tags":null}""", "tags must be an array")]
    [InlineData("""{"image":"a","tags":[null]}""", "tags[0] must be a string")]
    [InlineData("""{"image":"a","tags":["x",["y"]]}""", "tags[1] must be a string")]
    [InlineData("""{"image":1,"tags":["x"]}""", "image must be a string")]
    [InlineData("""{"image":{"a":1},"tags":["x"]}""", "image must be a string")]
    [InlineData("""{"Image":"a","tags":["x"]}""", "unknown member 'Image'")]
    [InlineData("""{"image":"a","tags":["x"],"tags":["y"]}""", "duplicate member 'tags'")]
    [InlineData("""{"im\u0061ge":"a","image":"b","tags":["x"]}""", "duplicate member 'image'")]
    [InlineData("""{"image":"a","tags":["x"],}""", "not valid JSON")]
    [InlineData("""{"image":"a","tags":["x"]}x""", "unexpected content")]
    [InlineData("""{"image":"a","tags":["x"]}{"image":"a","tags":["x"]}""", "unexpected content")]
    [InlineData("""{"image":"a", /* c */ "tags":["x"]}""", "not valid JSON")]
    [InlineData("""{'image':'a','tags':['x']}""", "not valid JSON")]
    public void Refuses_anything_else_with_a_reason(string body, string reason)
    {
        var result = Read(body);

        Assert.Null(result.Payload);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_refused_without_recursion()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000);

        Assert.NotNull(Read(deep).Error);
        Assert.NotNull(Read("""{"x":""" + deep + "}").Error);
        Assert.NotNull(Read("""{"image":"a","tags":""" + deep + "}").Error);
    }

    [Fact]
    public void Huge_tag_array_stops_at_the_limit()
    {
        var tags = string.Join(',', Enumerable.Repeat("\"t\"", 100_000));

        Assert.Contains("at most 64 tags", Read($$"""{"image":"a","tags":[{{tags}}]}""").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"image":"a","tags":["x"]}""");
        bytes[11] = 0xff;

        Assert.NotNull(EventPayloadReader.Read(bytes).Error);
    }

    [Fact]
    public void Unknown_member_name_in_the_reason_is_cut_short()
    {
        var name = new string('n', 5000);

        var error = Read($$"""{"{{name}}":1}""").Error!;

        Assert.True(error.Length < 200, error);
    }

    private static PayloadReadResult Read(string body) => EventPayloadReader.Read(Encoding.UTF8.GetBytes(body));
}
