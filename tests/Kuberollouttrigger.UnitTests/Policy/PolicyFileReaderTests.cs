using Kuberollouttrigger.Common.Policy;

namespace Kuberollouttrigger.UnitTests.Policy;

public sealed class PolicyFileReaderTests
{
    [Fact]
    public void Reads_a_full_policy()
    {
        var read = PolicyFileReader.Read("""
            version: 1
            repository_owner_id: 1000001
            rules:
              - name: own images
                repositories: acme/*
                images: ["{prefix}{repository_name}"]
                refs: [refs/heads/main, refs/tags/v*]
              - repositories: [acme/deploy]
                repository_id: "2000002"
                images: "ghcr.io/acme/**"
                environments: [production]
                job_workflow_refs: [acme/deploy/.github/workflows/release.yml@refs/heads/main]
            """);

        Assert.Empty(read.Errors);
        var policy = Assert.IsType<AuthorizationPolicy>(read.Policy);
        Assert.Equal("1000001", policy.RepositoryOwnerId);
        Assert.Equal(2, policy.Rules.Count);
        Assert.Equal(4, policy.Rules[0].Line);
        Assert.Null(policy.Rules[0].Environments);
        Assert.Equal("2000002", policy.Rules[1].RepositoryId);
    }

    [Theory]
    [InlineData("rules:\n  - repositories: [acme/a\n    images: x\n  - {", "not valid YAML")]
    [InlineData("- a\n- b", "must be a mapping with 'rules'")]
    [InlineData("version: 1", "'rules' is missing")]
    [InlineData("rules: []", "at least one rule")]
    [InlineData("rulez: []\nrules: [{repositories: acme/a, images: x}]", "line 1: unknown key 'rulez'")]
    [InlineData("version: 2\nrules: [{repositories: acme/a, images: x}]", "version must be 1")]
    [InlineData("rules:\n  - images: x", "line 2: rule 1: 'repositories' is missing")]
    [InlineData("rules:\n  - repositories: acme/a", "rule 1: 'images' is missing")]
    [InlineData("rules:\n  - repositories: acme/a\n    images: x\n    ref: main", "line 4: rule 1: unknown key 'ref'")]
    [InlineData("rules:\n  - repositories: app\n    images: x", "'app' must be owner/name")]
    [InlineData("rules:\n  - repositories: acme/a\n    images: []", "line 3: rule 1: images must list at least one value")]
    [InlineData("rules:\n  - repositories: acme/a\n    images: x\n    repository_id: acme", "line 4: rule 1: repository_id must be a number")]
    [InlineData("repository_owner_id: -1\nrules: [{repositories: acme/a, images: x}]", "repository_owner_id must be a number")]
    [InlineData("rules:\n  - repositories: acme/a\n    images: \"{owner}/x\"", "unknown placeholder")]
    [InlineData("rules:\n  - repositories: \"{repository}\"\n    images: x", "placeholders are not allowed here")]
    [InlineData("rules:\n  - repositories: acme/a\n    images: [[x]]", "must hold plain values")]
    [InlineData("rules:\n  - repositories: acme/a\n    images: \"{prefix}{repository_name}-*\"", "line 2: rule 1: images: '{prefix}{repository_name}-*': {repository_name} must be a whole path component")]
    [InlineData("rules:\n  - repositories: acme/a\n    images: \"{prefix}{repository_name}*\"", "{repository_name} must be a whole path component")]
    [InlineData("rules:\n  - repositories: acme/a\n    images: \"{prefix}team-{repository_name}\"", "{repository_name} must be a whole path component")]
    [InlineData("rules:\n  - repositories: acme/a\n    images: \"{prefix}*{repository_name}\"", "{repository_name} must be a whole path component")]
    [InlineData("rules:\n  - repositories: acme/a\n    images: \"ghcr.io/{repository}.x\"", "{repository} must be a whole path component")]
    [InlineData("rules:\n  - repositories: acme/a\n    images: [\"{prefix}{repository_name}\", \"{prefix}{repository_name}{repository_name}\"]", "{repository_name} must be a whole path component")]
    [InlineData("rules:\n  - just a string", "rule 1: a rule must be a mapping")]
    [InlineData("rules:\n  - repositories: acme/a\n    images: x\n    images: y", "line 4: not valid YAML")]
    public void Invalid_policy_is_refused_with_the_line_and_rule(string yaml, string error)
    {
        var read = PolicyFileReader.Read(yaml);

        Assert.Null(read.Policy);
        Assert.Contains(read.Errors, e => e.Contains(error, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{prefix}{repository_name}")]
    [InlineData("{prefix}{repository_name}/*")]
    [InlineData("{prefix}{repository_name}/**")]
    [InlineData("ghcr.io/acme/{repository_name}")]
    [InlineData("ghcr.io/{repository}/**")]
    [InlineData("{repository_name}")]
    [InlineData("ghcr.io/acme/team/{repository_name}/cache")]
    public void Image_pattern_with_the_repository_as_a_whole_component_is_read(string image)
    {
        var read = PolicyFileReader.Read($"rules:\n  - repositories: acme/a\n    images: \"{image}\"\n    refs: \"refs/heads/{{repository_name}}-*\"");

        Assert.True(read.Policy is not null, string.Join("; ", read.Errors));
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var read = PolicyFileReader.Read("""
            rules:
              - repositories: app
                images: []
              - repositories: acme/b
                imagez: x
            """);

        Assert.Equal(4, read.Errors.Count);
    }

    [Fact]
    public void Missing_file_is_a_clear_error()
    {
        var read = PolicyFileReader.ReadFile(Path.Combine(Path.GetTempPath(), "no-such-policy-" + Guid.NewGuid() + ".yaml"));

        Assert.Contains("cannot read", Assert.Single(read.Errors), StringComparison.Ordinal);
    }
}
