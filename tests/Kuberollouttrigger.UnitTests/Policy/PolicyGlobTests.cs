using System.Text;
using System.Text.RegularExpressions;
using Kuberollouttrigger.Common.Policy;

namespace Kuberollouttrigger.UnitTests.Policy;

/// <summary>The glob matcher against a regular-expression reference, and its cost on hostile inputs.</summary>
public sealed class PolicyGlobTests
{
    private static readonly PolicyRequest Request = new("acme/app", "1", "2", "ghcr.io/acme/app", "refs/heads/main", null, null);

    [Fact]
    public void Matches_exactly_what_the_reference_matches_on_random_patterns_and_values()
    {
        var random = new Random(20261124);
        const string alphabet = "ab/*.";
        var checkedPairs = 0;
        for (var n = 0; n < 20_000; n++)
        {
            var pattern = RandomText(random, alphabet, random.Next(1, 9));
            if (PolicyPattern.Parse(pattern, ignoreCase: false, lowercaseValues: false, placeholdersAllowed: false).Pattern is not { } glob)
                continue;
            var reference = new Regex(Reference(pattern), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(10));
            for (var v = 0; v < 5; v++)
            {
                var value = RandomText(random, "ab/.", random.Next(0, 11));
                Assert.True(reference.IsMatch(value) == glob.IsMatch(value, Request, "ghcr.io/acme"), $"pattern '{pattern}', value '{value}'");
                checkedPairs++;
            }
        }
        Assert.True(checkedPairs > 10_000);
    }

    [Theory]
    [InlineData("ghcr.io/acme/*a*a*a*a*a*a*a*b", false)]
    [InlineData("ghcr.io/acme/**a**a**a**a**a**a**a**b", false)]
    [InlineData("ghcr.io/acme/*a*a*a*a*a*a*a*a", true)]
    [InlineData("**a*a**a*a**a*a**b", false)]
    public void Many_stars_against_a_long_value_decide_in_one_pass(string pattern, bool expected)
    {
        var glob = PolicyPattern.Parse(pattern, ignoreCase: false, lowercaseValues: false, placeholdersAllowed: false).Pattern!;
        var value = "ghcr.io/acme/" + new string('a', 480);

        // A backtracking matcher needs about C(480, 7) ≈ 10^14 steps here; this runs each value character once per pattern position.
        Assert.Equal(expected, glob.IsMatch(value, Request, "ghcr.io/acme"));
    }

    [Fact]
    public void Case_is_ignored_only_where_the_pattern_says_so()
    {
        var insensitive = PolicyPattern.Parse("Acme/*-Svc", ignoreCase: true, lowercaseValues: false, placeholdersAllowed: false).Pattern!;
        var sensitive = PolicyPattern.Parse("Acme/*-Svc", ignoreCase: false, lowercaseValues: false, placeholdersAllowed: false).Pattern!;

        Assert.True(insensitive.IsMatch("acme/billing-svc", Request, "ghcr.io/acme"));
        Assert.False(sensitive.IsMatch("acme/billing-svc", Request, "ghcr.io/acme"));
        Assert.True(sensitive.IsMatch("Acme/billing-Svc", Request, "ghcr.io/acme"));
    }

    [Fact]
    public void Long_patterns_are_matched_too()
    {
        var text = string.Concat(Enumerable.Repeat("a*", 200)) + "b";
        var glob = PolicyPattern.Parse(text, ignoreCase: false, lowercaseValues: false, placeholdersAllowed: false).Pattern!;

        Assert.True(glob.IsMatch(new string('a', 300) + "b", Request, "ghcr.io/acme"));
        Assert.False(glob.IsMatch(new string('a', 300), Request, "ghcr.io/acme"));
    }

    private static string RandomText(Random random, string alphabet, int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
            text.Append(alphabet[random.Next(alphabet.Length)]);
        return text.ToString();
    }

    /// <summary><c>**</c> is any characters, <c>*</c> any but <c>/</c>, everything else literal.</summary>
    private static string Reference(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] != '*')
                regex.Append(Regex.Escape(pattern[i].ToString()));
            else if (i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
            }
            else
                regex.Append("[^/]*");
        }
        return regex.Append('$').ToString();
    }
}
