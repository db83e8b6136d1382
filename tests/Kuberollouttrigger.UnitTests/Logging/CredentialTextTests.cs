using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kuberollouttrigger.Common.Hosting;
using Kuberollouttrigger.Common.Logging;
using Microsoft.AspNetCore.Http;

namespace Kuberollouttrigger.UnitTests.Logging;

/// <summary>What a log line may carry of a path or a value: never a token, and everything else as it was.</summary>
public sealed class CredentialTextTests
{
    private const string Jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImtleS0xIn0.eyJyZXBvc2l0b3J5IjoiYWNtZS9hcHAifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg";

    [Theory]
    [InlineData("POST /event/" + Jwt + " -> 404", "POST /event/(redacted) -> 404")]
    [InlineData("request_path /events/Bearer " + Jwt, "request_path /events/Bearer (redacted)")]
    [InlineData("token ghs_0123456789abcdefghijABCDEFGHIJ0123 leaked", "token (redacted) leaked")]
    [InlineData("pat github_pat_11AAAAAAA0123456789_abcdefghijklmnopqrstuvwxyz", "pat (redacted)")]
    [InlineData("payload only eyJyZXBvc2l0b3J5IjoiYWNtZS9hcHAifQ", "payload only (redacted)")]
    public void Tokens_anywhere_in_a_value_are_redacted(string value, string expected) =>
        Assert.Equal(expected, CredentialText.Redact(value));

    [Theory]
    [InlineData("Published event 0190a1b2-0000-7000-8000-000000000001: image ghcr.io/acme/app tags dev from acme/app")]
    [InlineData("Rejected token: token invalid (SecurityTokenSignatureKeyNotFoundException); alg=RS256 kid=key-1 iss=https://token.actions.githubusercontent.com")]
    [InlineData("ghcr.io/acme/github-app eyes gh-pages")]
    [InlineData("")]
    public void Ordinary_text_is_left_as_it_is(string value) => Assert.Equal(value, CredentialText.Redact(value));

    [Property(MaxTest = 3_000)]
    public Property Any_text_gives_text_without_the_token_it_held() =>
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), ArbMap.Default.ArbFor<string>(), (before, after) =>
        {
            var redacted = CredentialText.Redact((before ?? "") + " " + Jwt + " " + (after ?? ""));
            return !redacted.Contains(Jwt, StringComparison.Ordinal) && !redacted.Contains(Jwt.Split('.')[1], StringComparison.Ordinal);
        });

    [Theory]
    [InlineData("/event", "/event")]
    [InlineData("/events/0190a1b2-0000-7000-8000-000000000001", "/events/0190a1b2-0000-7000-8000-000000000001")]
    [InlineData("/event/" + Jwt, "/event/(redacted)")]
    [InlineData("/event/Bearer " + Jwt, "/event/(redacted)")]
    [InlineData("/x/ghp_abcdefghijklmnopqrstuvwxyz0123456789/y", "/x/(redacted)/y")]
    [InlineData("/wp-admin/setup-config.php", "/wp-admin/setup-config.php")]
    public void Logged_path_redacts_segments_that_may_hold_a_credential(string path, string logged) =>
        Assert.Equal(logged, LoggedPath.Of(new PathString(path)));

    [Fact]
    public void Logged_path_cuts_long_segments_and_many_segments()
    {
        var longSegment = "/a/" + new string('x', LoggedPath.MaxSegment + 1);
        var deep = string.Concat(Enumerable.Repeat("/a", 100));

        Assert.Equal("/a/(redacted)", LoggedPath.Of(new PathString(longSegment)));
        Assert.Equal(16, LoggedPath.Of(new PathString(deep)).Split('/').Count(s => s == "a"));
        Assert.EndsWith("/…", LoggedPath.Of(new PathString(deep)), StringComparison.Ordinal);
        Assert.Equal("", LoggedPath.Of(new PathString("")));
    }

    [Property(MaxTest = 3_000)]
    public bool Any_path_is_logged_without_throwing(string segment) =>
        LoggedPath.Of(new PathString("/" + (segment ?? "").Replace('\0', ' '))) is not null;
}
