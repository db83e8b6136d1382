using Kuberollouttrigger.Common.Images;

namespace Kuberollouttrigger.UnitTests.Images;

public sealed class ImageUpdateRulesTests
{
    private readonly ImageUpdateRules _rules = new("ghcr.io/acme");

    [Theory]
    [InlineData("ghcr.io/acme/app")]
    [InlineData("ghcr.io/acme/team/app")]
    [InlineData("ghcr.io/acme/app-1.2_x__y")]
    public void Accepts_images_under_the_prefix(string image) => Assert.Null(_rules.CheckImage(image));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("ghcr.io/acme", "prefix")]
    [InlineData("ghcr.io/acme-evil/x", "prefix")]
    [InlineData("ghcr.io/acmex", "prefix")]
    [InlineData("ghcr.io/other/app", "prefix")]
    [InlineData("docker.io/acme/app", "prefix")]
    [InlineData("ghcr.io/acme/app:dev", "tag")]
    [InlineData("ghcr.io/acme/app@sha256:0123456789012345678901234567890123456789012345678901234567890123", "digest")]
    [InlineData("ghcr.io/acme/app:v1@sha256:0123456789012345678901234567890123456789012345678901234567890123", "digest")]
    [InlineData("ghcr.io/acme/App", "lowercase")]
    [InlineData("GHCR.io/acme/app", "lowercase")]
    [InlineData("ghcr.io/acme/../app", "valid")]
    [InlineData("ghcr.io/acme/./app", "valid")]
    [InlineData("ghcr.io/acme//app", "valid")]
    [InlineData("ghcr.io/acme/app/", "valid")]
    [InlineData("ghcr.io/acme/-app", "valid")]
    [InlineData("ghcr.io/acme/app_", "valid")]
    [InlineData("ghcr.io/acme/a___b", "valid")]
    [InlineData("ghcr.io/acme/ap p", "valid")]
    [InlineData("ghcr.io/acme/app\n", "valid")]
    [InlineData("ghcr.io/acme/аpp", "lowercase")] // Cyrillic a
    [InlineData("ghcr.io/acme/app\u200b", "lowercase")] // zero-width space
    [InlineData("ｇhcr.io/acme/app", "lowercase")] // full-width g
    public void Refuses_bad_images_with_a_reason(string image, string reasonPart)
    {
        var error = _rules.CheckImage(image);

        Assert.NotNull(error);
        Assert.Contains(reasonPart, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Refuses_images_longer_than_512_characters() =>
        Assert.NotNull(_rules.CheckImage("ghcr.io/acme/" + new string('a', 600)));

    [Fact]
    public void Prefix_with_trailing_slash_means_the_same_boundary()
    {
        var rules = new ImageUpdateRules("ghcr.io/acme/");

        Assert.Null(rules.CheckImage("ghcr.io/acme/app"));
        Assert.NotNull(rules.CheckImage("ghcr.io/acme-evil/app"));
    }

    /// <summary>
    /// The prefix's owner itself is not under it: <c>docker.io/acme</c> (or <c>acme</c>) normalises to the official
    /// <c>docker.io/library/acme</c>, which another owner publishes.
    /// </summary>
    [Theory]
    [InlineData("docker.io/acme/", "docker.io/acme")]
    [InlineData("docker.io/acme/", "acme")]
    [InlineData("docker.io/acme/", "index.docker.io/acme")]
    [InlineData("acme/", "acme")]
    [InlineData("acme/", "docker.io/acme")]
    [InlineData("acme", "acme")]
    [InlineData("index.docker.io/acme/", "acme")]
    [InlineData("index.docker.io/acme/", "docker.io/acme")]
    [InlineData("registry-1.docker.io/acme", "registry-1.docker.io/acme")]
    [InlineData("ghcr.io/acme/", "ghcr.io/acme")]
    [InlineData("ghcr.io/acme/app", "ghcr.io/acme/app")]
    [InlineData("docker.io/acme/", "docker.io/library/acme")]
    public void Image_equal_to_the_prefix_or_normalising_outside_it_is_refused(string prefix, string image)
    {
        var error = new ImageUpdateRules(prefix).CheckImage(image);

        Assert.NotNull(error);
        Assert.Contains("prefix", error, StringComparison.Ordinal);
    }

    /// <summary>Both sides are compared as container runtimes read them, so every spelling of one repository agrees.</summary>
    [Theory]
    [InlineData("docker.io/acme/", "acme/app")]
    [InlineData("docker.io/acme/", "docker.io/acme/app")]
    [InlineData("docker.io/acme/", "index.docker.io/acme/app")]
    [InlineData("acme/", "docker.io/acme/app")]
    [InlineData("acme", "registry-1.docker.io/acme/app")]
    [InlineData("index.docker.io/acme", "acme/app")]
    [InlineData("docker.io/library", "nginx")]
    [InlineData("ghcr.io", "ghcr.io/acme/app")]
    [InlineData("ghcr.io/acme/app", "ghcr.io/acme/app/sidecar")]
    public void Image_strictly_under_the_normalised_prefix_is_accepted(string prefix, string image) =>
        Assert.Null(new ImageUpdateRules(prefix).CheckImage(image));

    [Fact]
    public void Prefix_refusal_names_the_allowed_prefix() =>
        Assert.Contains("below ghcr.io/acme/", _rules.CheckImage("ghcr.io/other/app"), StringComparison.Ordinal);

    [Fact]
    public void Prefix_with_a_registry_port_is_accepted()
    {
        var rules = new ImageUpdateRules("localhost:5000/team");

        Assert.Null(rules.CheckImage("localhost:5000/team/app"));
        Assert.NotNull(rules.CheckImage("localhost:5000/teamx/app"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("GHCR.io/Acme")]
    [InlineData("ghcr.io/acme:tag")]
    [InlineData("ghcr.io/acme/app-")]
    public void Unusable_prefixes_are_refused_at_start(string prefix)
    {
        Assert.NotNull(ImageUpdateRules.CheckPrefix(prefix));
        Assert.Throws<ArgumentException>(() => new ImageUpdateRules(prefix));
    }

    [Fact]
    public void Tags_are_deduplicated_in_order()
    {
        var check = ImageUpdateRules.CheckTags(["dev", "v1", "dev", "latest", "v1"]);

        Assert.Null(check.Error);
        Assert.Equal(["dev", "v1", "latest"], check.UniqueTags);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("-dash")]
    [InlineData("a:b")]
    [InlineData("a@b")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("tag\t")]
    [InlineData("tаg")] // Cyrillic a
    public void Bad_tags_are_refused_with_their_index(string tag)
    {
        var check = ImageUpdateRules.CheckTags(["ok", tag]);

        Assert.NotNull(check.Error);
        Assert.Contains("tags[1]", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Tag_of_128_characters_is_accepted_and_129_refused()
    {
        Assert.Null(ImageUpdateRules.CheckTags([new string('a', 128)]).Error);
        Assert.NotNull(ImageUpdateRules.CheckTags([new string('a', 129)]).Error);
    }

    [Fact]
    public void Between_1_and_64_tags_are_accepted()
    {
        Assert.NotNull(ImageUpdateRules.CheckTags([]).Error);
        Assert.Null(ImageUpdateRules.CheckTags([.. Enumerable.Range(0, 64).Select(i => $"t{i}")]).Error);
        Assert.NotNull(ImageUpdateRules.CheckTags([.. Enumerable.Range(0, 65).Select(i => $"t{i}")]).Error);
    }
}
