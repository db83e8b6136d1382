namespace Kuberollouttrigger.Common.Settings;

/// <summary>The smallest and largest value of a whole-number or duration setting, written as the docs write them (<c>10s</c> to <c>24h</c>).</summary>
public sealed record SettingRange(string Min, string Max)
{
    public override string ToString() => $"{Min} to {Max}";
}
