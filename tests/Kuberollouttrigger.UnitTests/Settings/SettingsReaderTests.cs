using Kuberollouttrigger.Common.Settings;
using Kuberollouttrigger.Ingress.Configuration;

namespace Kuberollouttrigger.UnitTests.Settings;

public sealed class SettingsReaderTests
{
    private static readonly Dictionary<string, string> Complete = new()
    {
        ["VALKEY_ADDR"] = "valkey:6379",
        ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
        ["GITHUB_OIDC_AUDIENCE"] = "krt",
        ["GITHUB_ALLOWED_ORG"] = "acme",
    };

    [Fact]
    public void Missing_required_settings_are_named_together_in_one_message()
    {
        var result = SettingsReader.Read(IngressSettings.All, [], _ => null);

        var error = Assert.Single(result.Errors);
        Assert.Equal("missing required configuration: VALKEY_ADDR / --valkey-addr, ALLOWED_IMAGE_PREFIX / --allowed-image-prefix, GITHUB_OIDC_AUDIENCE / --github-oidc-audience, GITHUB_ALLOWED_ORG / --github-allowed-org", error);
    }

    [Fact]
    public void Defaults_match_the_Go_original()
    {
        var result = SettingsReader.Read(IngressSettings.All, [], Complete.GetValueOrDefault);

        Assert.True(result.Succeeded);
        Assert.Equal("kuberollouttrigger", result.Values["Valkey:Channel"]);
        Assert.Equal(":8080", result.Values["Ingress:ListenAddress"]);
        Assert.Equal("info", result.Values["Logging:Level"]);
        Assert.Equal("false", result.Values["Valkey:UseTls"]);
        Assert.Equal("false", result.Values["GitHubOidc:DevMode"]);
        Assert.Equal("https://token.actions.githubusercontent.com", result.Values["GitHubOidc:Issuer"]);
    }

    [Theory]
    [InlineData("--valkey-addr", "flag:1")]
    [InlineData("-valkey-addr", "flag:1")]
    public void Flag_overrides_its_environment_variable(string flag, string value)
    {
        var result = SettingsReader.Read(IngressSettings.All, [flag, value], Complete.GetValueOrDefault);

        Assert.Equal(value, result.Values["Valkey:Address"]);
    }

    [Fact]
    public void Flag_with_equals_sign_is_read()
    {
        var result = SettingsReader.Read(IngressSettings.All, ["--valkey-channel=events"], Complete.GetValueOrDefault);

        Assert.Equal("events", result.Values["Valkey:Channel"]);
    }

    [Theory]
    [InlineData("true", "true")]
    [InlineData("1", "true")]
    [InlineData("TRUE", "true")]
    [InlineData("false", "false")]
    [InlineData("0", "false")]
    public void Booleans_accept_what_the_Go_original_accepts(string raw, string expected)
    {
        var env = new Dictionary<string, string>(Complete) { ["DEV_MODE"] = raw };

        var result = SettingsReader.Read(IngressSettings.All, [], env.GetValueOrDefault);

        Assert.Equal(expected, result.Values["GitHubOidc:DevMode"]);
    }

    [Fact]
    public void Bare_boolean_flag_means_true()
    {
        var result = SettingsReader.Read(IngressSettings.All, ["--dev-mode"], Complete.GetValueOrDefault);

        Assert.Equal("true", result.Values["GitHubOidc:DevMode"]);
    }

    [Fact]
    public void Unclear_boolean_is_an_error_not_a_silent_false()
    {
        var env = new Dictionary<string, string>(Complete) { ["DEV_MODE"] = "yes" };

        var result = SettingsReader.Read(IngressSettings.All, [], env.GetValueOrDefault);

        Assert.Contains(result.Errors, e => e.Contains("DEV_MODE", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_flags_and_stray_arguments_are_errors()
    {
        var result = SettingsReader.Read(IngressSettings.All, ["--nope", "x", "stray"], Complete.GetValueOrDefault);

        Assert.Contains("unknown flag --nope", result.Errors);
        Assert.Contains("unexpected argument 'x'", result.Errors);
    }

    [Fact]
    public void Secret_values_never_appear_in_errors()
    {
        var settings = new[] { new Setting("SECRET_FLAG", "secret-flag", "S", "d", Secret: true, IsBoolean: true) };

        var result = SettingsReader.Read(settings, [], name => name == "SECRET_FLAG" ? "hunter2" : null);

        Assert.DoesNotContain(result.Errors, e => e.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public void Help_lists_every_setting()
    {
        var usage = SettingsReader.Usage("web", IngressSettings.All);

        foreach (var setting in IngressSettings.All)
            Assert.Contains(setting.EnvVar, usage, StringComparison.Ordinal);
    }
}
