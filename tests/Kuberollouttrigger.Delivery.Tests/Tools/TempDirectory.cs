namespace Kuberollouttrigger.Delivery.Tests.Tools;

/// <summary>A directory under the temp folder that containers may read (0755, files 0644), deleted when disposed.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Directory.CreateTempSubdirectory("krt-delivery-").FullName;
        File.SetUnixFileMode(Path, ReadableDirectory);
    }

    public string Path { get; }

    private const UnixFileMode ReadableDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Writes <paramref name="content"/> to <paramref name="relative"/>, readable by any user (a container runs as 1654).</summary>
    public string Write(string relative, string content)
    {
        var file = System.IO.Path.Combine(Path, relative);
        var dir = System.IO.Path.GetDirectoryName(file)!;
        if (!System.IO.Directory.Exists(dir))
            Directory(System.IO.Path.GetRelativePath(Path, dir), ReadableDirectory);
        File.WriteAllText(file, content);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return file;
    }

    /// <summary>Creates the directory <paramref name="relative"/> with <paramref name="mode"/>; returns its path.</summary>
    public string Directory(string relative, UnixFileMode mode)
    {
        var dir = System.IO.Path.Combine(Path, relative);
        System.IO.Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, mode);
        return dir;
    }

    public void Dispose() => System.IO.Directory.Delete(Path, recursive: true);
}
