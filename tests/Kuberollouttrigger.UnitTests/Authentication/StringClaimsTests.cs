using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kuberollouttrigger.Ingress.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kuberollouttrigger.UnitTests.Authentication;

/// <summary>The claim-type check on payloads a token may carry: never an exception, a reason naming the claim or null.</summary>
public sealed class StringClaimsTests
{
    private static readonly string[] Fragments =
    [
        "\"repository\"", "\"Repository\"", "\"repository_owner\"", "\"ref\"", "\"environment\"", "\"other\"", ":", ",", "\"acme/app\"", "[", "]", "{", "}",
        "1", "null", "true", "\"\\u0072ef\"", " ",
    ];

    [Theory]
    [InlineData("""{"repository":"acme/app","ref":"refs/heads/main"}""", null)]
    [InlineData("""{"repository":["acme/app"]}""", "the token's repository claim must be a string, not an array")]
    [InlineData("""{"REF":{"x":1}}""", "the token's ref claim must be a string, not an object")]
    [InlineData("""{"repository_id":2000002}""", "the token's repository_id claim must be a string, not a number")]
    [InlineData("""{"environment":null}""", "the token's environment claim must be a string, not null")]
    [InlineData("""{"job_workflow_ref":false}""", "the token's job_workflow_ref claim must be a string, not a boolean")]
    [InlineData("""{"repository_owner":"acme","repository_owner":"evil"}""", "the token's repository_owner claim appears more than once")]
    [InlineData("""{"other":[1,{"repository":[]}],"repository":"acme/app"}""", null)]
    public void Payload_gives_its_reason(string payload, string? reason) =>
        Assert.Equal(reason, StringClaims.Check(Token(payload)));

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x22, 0x78, 0x22, 0x7D })] // {"<invalid UTF-8>":"x"}
    [InlineData(new byte[] { 0x7B, 0x22, 0x72, 0x65, 0x66, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D })] // {"ref":"<0xFF>"}
    public void Payload_bytes_that_are_not_UTF_8_give_a_reason_or_none_and_never_throw(byte[] payload)
    {
        // IdentityModel refuses these when it reads the token, before JwtBearer could hand it over; the check must
        // still give an answer if it ever gets one.
        if (TryToken(Base64UrlEncoder.Encode(payload)) is { } token)
            Assert.True(StringClaims.Check(token) is null or { Length: > 0 });
    }

    [Theory]
    [InlineData("""{"\ud800":"x"}""")]
    [InlineData("""{"\u0072\u0065\u0066":["refs/heads/main"]}""")]
    [InlineData("""{"\u0052EF":"a","ref":"b"}""")]
    public void Escaped_names_are_read_as_the_names_they_spell(string payload)
    {
        if (TryToken(Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))) is not { } token)
            return; // IdentityModel refuses it first (a lone surrogate).
        var reason = StringClaims.Check(token);
        if (payload.Contains("ud800", StringComparison.Ordinal))
            Assert.True(reason is null or { Length: > 0 });
        else
            Assert.Contains("ref claim", reason, StringComparison.Ordinal);
    }

    private static JsonWebToken? TryToken(string encodedPayload)
    {
        try
        {
            return new JsonWebToken(Base64UrlEncoder.Encode("""{"alg":"RS256","typ":"JWT"}""") + "." + encodedPayload + ".");
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [Fact]
    public void Not_a_json_web_token_is_refused() => Assert.NotNull(StringClaims.Check(null));

    [Fact]
    public void Nesting_deeper_than_the_reader_takes_is_refused_not_thrown()
    {
        var deep = "{\"other\":" + new string('[', 500) + new string(']', 500) + ",\"repository\":\"acme/app\"}";
        JsonWebToken token;
        try
        {
            token = Token(deep);
        }
        catch (ArgumentException)
        {
            // IdentityModel refuses it first, so JwtBearer never hands it over.
            return;
        }

        Assert.Equal("the token's claims could not be read", StringClaims.Check(token));
    }

    [Property(MaxTest = 2_000)]
    public Property Json_like_payloads_never_throw() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Elements(Fragments)).ToArbitrary(), parts =>
        {
            var payload = "{" + string.Concat(parts) + "}";
            try
            {
                var token = Token(payload);
                return StringClaims.Check(token) is null or { Length: > 0 };
            }
            catch (ArgumentException)
            {
                // Not a JSON object IdentityModel would parse: JwtBearer refuses it before this check runs.
                return true;
            }
        });

    private static JsonWebToken Token(string payload) =>
        new(Base64UrlEncoder.Encode("""{"alg":"RS256","typ":"JWT"}""") + "." + Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload)) + ".");
}
