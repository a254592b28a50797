using System.Text;
using Baton.Chains;

namespace Baton.Runs;

internal sealed partial class RunLoop
{
    /// <summary>Largest agent output substituted into a template; the rest stays in the file.</summary>
    internal const int MaxTemplateOutputBytes = 256 * 1024;

    /// <summary>Renders a template for one agent: {{ feedback }} is the comment of the last "changes" that re-opened it.</summary>
    private string RenderTemplate(string agent, string template) =>
        Template.Render(template, reference => reference.Kind switch
            {
                TemplateReferenceKind.Input => _inputs.GetValueOrDefault(reference.Name!, ""),
                TemplateReferenceKind.AgentOutput => ReadOutputForTemplate(_run, reference.Name!),
                TemplateReferenceKind.Feedback => _state.Agent(agent).Feedback,
                _ => "",
            });

    /// <summary>An agent's output as text for a template: binary output is described, huge output is cut.</summary>
    internal static string ReadOutputForTemplate(RunFolder run, string agent)
    {
        var path = run.AgentOutput(agent);
        if (!File.Exists(path) || SafePaths.IsSymlink(path))
            return "";
        using var stream = File.OpenRead(path);
        var buffer = new byte[(int)Math.Min(stream.Length, MaxTemplateOutputBytes)];
        stream.ReadExactly(buffer);
        var relative = Path.GetRelativePath(run.Path, path);
        if (buffer.AsSpan().Contains((byte)0))
            return $"[binary output: {stream.Length} bytes, see {relative}]";
        var text = Encoding.UTF8.GetString(buffer);
        return stream.Length > buffer.Length
            ? $"{text}\n[… truncated: {stream.Length - buffer.Length} more bytes in {relative}]"
            : text;
    }
}
