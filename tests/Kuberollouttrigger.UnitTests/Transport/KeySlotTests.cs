using Kuberollouttrigger.Transport.Publishing;

namespace Kuberollouttrigger.UnitTests.Transport;

public sealed class KeySlotTests
{
    [Theory]
    [InlineData("kuberollouttrigger:stream", "kuberollouttrigger:stream")]
    [InlineData("{krt}:stream", "krt")]
    [InlineData("a{b}c{d}", "b")]
    [InlineData("a{}b{c}", "a{}b{c}")]
    [InlineData("a{b", "a{b")]
    [InlineData("a}b{c}", "c")]
    public void Tag_is_the_first_non_empty_braces_or_the_whole_key(string key, string tag) =>
        Assert.Equal(tag, KeySlot.TagOf(key));

    [Theory]
    [InlineData("kuberollouttrigger:stream", "p:{kuberollouttrigger:stream}:id")]
    [InlineData("{krt}:stream", "p:{krt}:id")]
    [InlineData("a{b:stream", "p:{a{b:stream}:id")]
    public void Key_beside_carries_the_neighbours_tag(string neighbour, string key)
    {
        Assert.Equal(key, KeySlot.KeyBeside(neighbour, "p:", "id"));
        Assert.Equal(KeySlot.TagOf(neighbour), KeySlot.TagOf(key!));
    }

    [Theory]
    [InlineData("a}b:stream")]
    [InlineData("{}}:stream")]
    public void No_key_can_sit_beside_a_key_hashed_whole_that_holds_a_closing_brace(string neighbour) =>
        Assert.Null(KeySlot.KeyBeside(neighbour, "p:", "id"));
}
