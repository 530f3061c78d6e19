using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Atrium.Lab.Commands;

/// <summary>Arguments of <c>run</c>.</summary>
internal sealed class RunSettings : CommandSettings
{
    [CommandArgument(0, "<experiment>")]
    [Description("The experiment to run (see list), or 'all'.")]
    public string Experiment { get; init; } = "";

    [CommandOption("--target <URL>")]
    [Description("An Atrium already running (else the experiment starts what it needs).")]
    public string? Target { get; init; }

    [CommandOption("--quick")]
    [Description("The short form (what CI runs): fewer, shorter steps; same code paths.")]
    public bool Quick { get; init; }

    [CommandOption("--out <DIR>")]
    [Description("Where reports go (default: reports).")]
    public string Out { get; init; } = "reports";

    public override ValidationResult Validate() =>
        Target is not null && !Uri.TryCreate(Target, UriKind.Absolute, out _)
            ? ValidationResult.Error($"--target must be an absolute URL, e.g. http://127.0.0.1:5000 (got '{Target}').")
            : ValidationResult.Success();
}
