namespace Baton.Chains;

public enum TemplateReferenceKind
{
    Input,
    AgentOutput,
    Feedback,
}

/// <summary>One `{{ ... }}` placeholder. Name is the input or agent name; null for feedback.</summary>
public sealed record TemplateReference(TemplateReferenceKind Kind, string? Name)
{
    public static TemplateReference Input(string name) => new(TemplateReferenceKind.Input, name);

    public static TemplateReference AgentOutput(string agent) => new(TemplateReferenceKind.AgentOutput, agent);

    public static TemplateReference Feedback { get; } = new(TemplateReferenceKind.Feedback, null);

    public override string ToString() =>
        Kind switch
        {
            TemplateReferenceKind.Input => $"{{{{ inputs.{Name} }}}}",
            TemplateReferenceKind.AgentOutput => $"{{{{ agents.{Name}.output }}}}",
            _ => "{{ feedback }}",
        };
}

/// <summary>A template with a placeholder that is not one of the three supported forms.</summary>
public sealed class TemplateException(string message) : FormatException(message);
