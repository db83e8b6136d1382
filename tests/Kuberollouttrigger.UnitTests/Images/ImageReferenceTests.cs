using Kuberollouttrigger.Common.Images;

namespace Kuberollouttrigger.UnitTests.Images;

public sealed class ImageReferenceTests
{
    private const string Digest = "sha256:0123456789012345678901234567890123456789012345678901234567890123";

    [Theory]
    [InlineData("nginx", "docker.io/library/nginx", null, null)]
    [InlineData("nginx:1.27", "docker.io/library/nginx", "1.27", null)]
    [InlineData("library/nginx:1.27", "docker.io/library/nginx", "1.27", null)]
    [InlineData("docker.io/nginx:1.27", "docker.io/library/nginx", "1.27", null)]
    [InlineData("index.docker.io/library/nginx:1.27", "docker.io/library/nginx", "1.27", null)]
    [InlineData("acme/app:dev", "docker.io/acme/app", "dev", null)]
    [InlineData("ghcr.io/acme/app:dev", "ghcr.io/acme/app", "dev", null)]
    [InlineData("localhost:5000/app:dev", "localhost:5000/app", "dev", null)]
    [InlineData("localhost/app", "localhost/app", null, null)]
    [InlineData("ghcr.io/acme/app@" + Digest, "ghcr.io/acme/app", null, Digest)]
    [InlineData("ghcr.io/acme/app:dev@" + Digest, "ghcr.io/acme/app", "dev", Digest)]
    public void Normalises_like_container_runtimes(string reference, string repository, string? tag, string? digest)
    {
        var parsed = ImageReference.Parse(reference);

        Assert.NotNull(parsed);
        Assert.Equal(repository, parsed.Repository);
        Assert.Equal(tag, parsed.Tag);
        Assert.Equal(digest, parsed.Digest);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ghcr.io/acme/app:")]
    [InlineData("ghcr.io/acme/app@sha256:short")]
    [InlineData("ghcr.io/acme/App")]
    [InlineData("ghcr.io/acme/app:bad tag")]
    [InlineData("ghcr.io:99999/acme/app")]
    [InlineData("-bad.io/acme/app")]
    public void Refuses_references_no_runtime_would_pull(string reference) => Assert.Null(ImageReference.Parse(reference));
}
