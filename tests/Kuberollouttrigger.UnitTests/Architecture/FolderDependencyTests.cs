namespace Kuberollouttrigger.UnitTests.Architecture;

/// <summary>Folders depend one way: a stage uses the stages below it, never one above (docs/architecture.md draws the graph).</summary>
public sealed class FolderDependencyTests
{
    [Fact]
    public void Worker_folders_have_no_dependency_cycles()
    {
        var graph = FolderDependencies.Read(RepositoryPath("services/rollout-worker"), "Kuberollouttrigger.RolloutWorker");

        Assert.True(graph.Cycles().Count == 0, $"folder cycles: {string.Join("; ", graph.Cycles())}\n{graph.Describe()}");
    }

    [Fact]
    public void Worker_stages_sit_on_top_of_each_other_as_drawn_in_the_architecture_doc()
    {
        var graph = FolderDependencies.Read(RepositoryPath("services/rollout-worker"), "Kuberollouttrigger.RolloutWorker");

        // Nothing below the composition root uses it, and the lowest folders use no other.
        Assert.All(graph.Edges.Where(e => e.Key != FolderDependencies.Root), e => Assert.DoesNotContain(FolderDependencies.Root, e.Value));
        Assert.Empty(graph.Edges["Configuration"]);
        Assert.Empty(graph.Edges["Telemetry"]);
        Assert.DoesNotContain("Messaging", graph.Edges["Cluster"]);
        Assert.DoesNotContain("Rollouts", graph.Edges["Cluster"]);
        Assert.DoesNotContain("Messaging", graph.Edges["Rollouts"]);
    }

    [Fact]
    public void A_cycle_between_two_folders_is_found()
    {
        var directory = Directory.CreateTempSubdirectory();
        try
        {
            Directory.CreateDirectory(Path.Combine(directory.FullName, "A"));
            Directory.CreateDirectory(Path.Combine(directory.FullName, "B"));
            File.WriteAllText(Path.Combine(directory.FullName, "A", "X.cs"), "using P.B;\nnamespace P.A;\npublic sealed class X(Y y);\n");
            File.WriteAllText(Path.Combine(directory.FullName, "B", "Y.cs"), "namespace P.B;\npublic sealed class Y { P.A.X? x; }\n");

            Assert.Equal(["A -> B -> A"], FolderDependencies.Read(directory.FullName, "P").Cycles());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string RepositoryPath(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "kuberollouttrigger.sln")))
            dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("kuberollouttrigger.sln not found above the test folder"), relative);
    }
}
