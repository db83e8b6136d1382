using System.Net;
using System.Text.Json;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;

namespace Kuberollouttrigger.IntegrationTests.Ingress;

[Collection(nameof(IngressCollection))]
public sealed class EventIntakeTests(IngressEnvironment env)
{
    private const string ValidBody = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";

    [Fact]
    public async Task Valid_event_is_accepted_and_published_as_a_MassTransit_envelope()
    {
        var token = env.Issuer.CreateToken(new GitHubTokenClaims { Repository = "acme/app", Sha = "abc123", RunId = "99", Actor = "alice", Ref = "refs/heads/main", Workflow = "ci" });

        using var response = await env.PostEventAsync(token, """{"image":"ghcr.io/acme/app","tags":["dev","v1.2.3","dev"]}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var eventId = body.RootElement.GetProperty("eventId").GetGuid();
        Assert.True(response.Headers.Contains("X-Request-Id"));

        var envelope = Envelope.Parse(await env.Recorder.NextAsync());
        Assert.Equal(eventId, envelope.MessageId);
        Assert.Contains("urn:message:Kuberollouttrigger.Contracts:ImageUpdated", envelope.MessageTypes);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", envelope.Header("MT-Activity-Id"));
        Assert.True(envelope.Root.TryGetProperty("sentTime", out _));
        var message = envelope.Message;
        Assert.Equal(eventId, message.GetProperty("eventId").GetGuid());
        Assert.Equal("ghcr.io/acme/app", message.GetProperty("image").GetString());
        Assert.Equal(["dev", "v1.2.3"], message.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var trigger = message.GetProperty("triggeredBy");
        Assert.Equal("acme/app", trigger.GetProperty("repository").GetString());
        Assert.Equal("acme", trigger.GetProperty("repositoryOwner").GetString());
        Assert.Equal("abc123", trigger.GetProperty("sha").GetString());
        Assert.Equal("99", trigger.GetProperty("runId").GetString());
        Assert.Equal("alice", trigger.GetProperty("actor").GetString());
        Assert.Equal("refs/heads/main", trigger.GetProperty("ref").GetString());
        Assert.Equal("ci", trigger.GetProperty("workflow").GetString());
        Assert.DoesNotContain(token, System.Text.Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(envelope.Root)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"image":"ghcr.io/acme/app","tags":["dev"],"extra":1}""", "unknown member")]
    [InlineData("""{"image":"ghcr.io/acme/app","image":"ghcr.io/acme/other","tags":["dev"]}""", "duplicate member 'image'")]
    [InlineData("""{"image":"ghcr.io/acme/app","tags":["dev"]} {}""", "unexpected content")]
    [InlineData("""{"image":null,"tags":["dev"]}""", "image must be a string")]
    [InlineData("""{"image":"ghcr.io/acme/app","tags":"dev"}""", "tags must be an array")]
    [InlineData("""{"image":"ghcr.io/acme/app","tags":[1]}""", "tags[0] must be a string")]
    [InlineData("""{"image":"ghcr.io/acme/app","tags":[]}""", "at least one tag")]
    [InlineData("""{"tags":["dev"]}""", "missing member 'image'")]
    [InlineData("""[]""", "must be a JSON object")]
    [InlineData("""{"image":"ghcr.io/acme/app","tags":["dev"]""", "not valid JSON")]
    [InlineData("""{"image":"ghcr.io/acme-evil/app","tags":["dev"]}""", "allowed image prefix")]
    [InlineData("""{"image":"ghcr.io/acme/app:dev","tags":["dev"]}""", "must not contain a tag")]
    [InlineData("""{"image":"ghcr.io/acme/app@sha256:0123456789012345678901234567890123456789012345678901234567890123","tags":["dev"]}""", "digest")]
    [InlineData("""{"image":"ghcr.io/acme/App","tags":["dev"]}""", "lowercase")]
    [InlineData("""{"image":"ghcr.io/acme/../x","tags":["dev"]}""", "not a valid")]
    [InlineData("""{"image":"ghcr.io/acme/app","tags":["has space"]}""", "tags[0] is not a valid tag")]
    public async Task Bad_payload_gets_400_with_a_reason_and_publishes_nothing(string body, string reason)
    {
        using var response = await env.PostEventAsync(env.Issuer.CreateToken(), body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Contains(reason, text, StringComparison.Ordinal);
        await env.Recorder.AssertNothingPublishedAsync();
    }

    [Fact]
    public async Task More_than_64_tags_get_400_and_publish_nothing()
    {
        var tags = string.Join(',', Enumerable.Range(0, 10_000).Select(i => $"\"t{i}\""));
        using var response = await env.PostEventAsync(env.Issuer.CreateToken(), $$"""{"image":"ghcr.io/acme/app","tags":[{{tags}}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 64 tags", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await env.Recorder.AssertNothingPublishedAsync();
    }

    [Fact]
    public async Task Body_over_one_MiB_gets_413_and_publishes_nothing()
    {
        var padding = new string(' ', 1024 * 1024);
        using var response = await env.PostEventAsync(env.Issuer.CreateToken(), ValidBody + padding);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await env.Recorder.AssertNothingPublishedAsync();
    }

    [Fact]
    public async Task Chunked_body_over_one_MiB_gets_413()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/event")
        {
            Content = new StreamContent(new MemoryStream(new byte[(1024 * 1024) + 4096])),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = new("Bearer", env.Issuer.CreateToken());

        using var response = await env.Ingress.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await env.Recorder.AssertNothingPublishedAsync();
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Non_json_content_type_gets_415_and_publishes_nothing(string contentType)
    {
        using var response = await env.PostEventAsync(env.Issuer.CreateToken(), ValidBody, contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await env.Recorder.AssertNothingPublishedAsync();
    }

    [Fact]
    public async Task Json_content_type_with_charset_is_accepted()
    {
        using var response = await env.PostEventAsync(env.Issuer.CreateToken(), ValidBody, "application/json; charset=utf-8");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("ghcr.io/acme/app", Envelope.Parse(await env.Recorder.NextAsync()).Message.GetProperty("image").GetString());
    }

    [Fact]
    public async Task Get_event_is_405()
    {
        using var response = await env.Ingress.Client.GetAsync("/event");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        await env.Recorder.AssertNothingPublishedAsync();
    }

    [Fact]
    public async Task Health_endpoints_answer_and_carry_a_request_id()
    {
        using var live = await env.Ingress.Client.GetAsync("/healthz");
        using var ready = await env.Ingress.Client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True(live.Headers.Contains("X-Request-Id"));
    }

    [Fact]
    public async Task Caller_request_id_is_echoed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Add("X-Request-Id", "ci-run-42");

        using var response = await env.Ingress.Client.SendAsync(request);

        Assert.Equal("ci-run-42", response.Headers.GetValues("X-Request-Id").Single());
    }
}
