using System.Text.RegularExpressions;

namespace Kuberollouttrigger.UnitTests.Architecture;

/// <summary>
/// The folder dependency graph of one project, read from its sources: a folder depends on another when one of its files
/// names the other's namespace (a <c>using</c> or a qualified name), and on the project's root folder when it names a
/// type declared there (parent namespaces are visible without a <c>using</c>).
/// </summary>
public sealed partial class FolderDependencies
{
    public const string Root = "(root)";

    private FolderDependencies(IReadOnlyDictionary<string, IReadOnlySet<string>> edges) => Edges = edges;

    /// <summary>Folder → the folders it uses; every folder of the project is a key.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Edges { get; }

    public static FolderDependencies Read(string projectDirectory, string rootNamespace)
    {
        var files = Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(projectDirectory, f)))
            .Select(f => (Folder: FolderOf(projectDirectory, f), Text: File.ReadAllText(f)))
            .ToList();
        var rootTypes = files.Where(f => f.Folder == Root).SelectMany(f => DeclaredType().Matches(f.Text).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        var edges = files.Select(f => f.Folder).Distinct().ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal));
        var reference = new Regex(Regex.Escape(rootNamespace) + @"\.([A-Za-z]+)\b");
        foreach (var (folder, text) in files)
        {
            var code = string.Join('\n', text.Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));
            foreach (var used in reference.Matches(code).Select(m => m.Groups[1].Value).Where(edges.ContainsKey))
                edges[folder].Add(used);
            if (folder != Root && rootTypes.Any(t => Regex.IsMatch(code, $@"\b{t}\b")))
                edges[folder].Add(Root);
            edges[folder].Remove(folder);
        }
        return new FolderDependencies(edges.ToDictionary(e => e.Key, e => (IReadOnlySet<string>)e.Value));
    }

    /// <summary>Every cycle's folders in order (first repeated at the end), found by a depth-first search; empty when the graph is acyclic.</summary>
    public IReadOnlyList<string> Cycles()
    {
        var cycles = new List<string>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var folder in Edges.Keys.Order(StringComparer.Ordinal))
            Visit(folder);
        return cycles;

        void Visit(string folder)
        {
            if (state.GetValueOrDefault(folder) == 2)
                return;
            if (state.GetValueOrDefault(folder) == 1)
            {
                cycles.Add(string.Join(" -> ", path.SkipWhile(f => f != folder).Append(folder)));
                return;
            }
            state[folder] = 1;
            path.Add(folder);
            foreach (var next in Edges[folder].Order(StringComparer.Ordinal))
                Visit(next);
            path.RemoveAt(path.Count - 1);
            state[folder] = 2;
        }
    }

    public string Describe() =>
        string.Join('\n', Edges.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} -> {string.Join(", ", e.Value.Order(StringComparer.Ordinal))}"));

    private static bool IsBuildOutput(string relative) =>
        relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string FolderOf(string projectDirectory, string file)
    {
        var relative = Path.GetRelativePath(projectDirectory, file);
        var separator = relative.IndexOf(Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return separator < 0 ? Root : relative[..separator];
    }

    [GeneratedRegex(@"\b(?:class|record|interface|enum|struct)\s+([A-Z][A-Za-z0-9]*)")]
    private static partial Regex DeclaredType();
}
