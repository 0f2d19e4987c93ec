using System.CommandLine;
using ImageGuide.Cli;
using ImageGuide.Cli.Commands;
using ImageGuide.Imaging;
using ImageGuide.Rendering;
using ImageGuide.Visualization;
using ImageGuide.Workflows.Validation;

// every snapshot (render, plan, iceball, validate, demo) is drawn with Skia and the embedded font, not Core's text-free renderer
FusionSnapshot.Renderer = SkiaSnapshotRenderer.Instance;
// and every validation report (validate, demo) gets the ScottPlot charts
ValidationCharts.Default = new ValidationChartsRenderer();
var root = new RootCommand("ImageGuide: DICOM loading, CT/CBCT–MR fusion, needle and cryoablation planning, ice-ball analysis.");
root.Subcommands.Add(InfoCommand.Create());
root.Subcommands.Add(ConvertCommand.Create());
root.Subcommands.Add(RegisterCommand.Create());
root.Subcommands.Add(TreCommand.Create());
root.Subcommands.Add(PlanCommand.Create());
root.Subcommands.Add(RenderCommand.Create());
root.Subcommands.Add(ValidateCommand.Create());
root.Subcommands.Add(IceballCommand.Create());
root.Subcommands.Add(PhantomCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(NetworkCommands.Listen());
root.Subcommands.Add(NetworkCommands.Echo());
root.Subcommands.Add(NetworkCommands.Send());
root.Subcommands.Add(NetworkCommands.QueryCommand());
root.Subcommands.Add(NetworkCommands.Retrieve());
var maxImageMemory = new Option<double?>("--max-image-memory")
{
    Description = $"Largest image a file may declare, GiB (default {ImageMemoryBudget.DefaultMaxBytes >> 30}); a bigger header is refused before anything is allocated",
    Recursive = true,
};
root.Options.Add(maxImageMemory);
if (root.Parse(args).GetValue(maxImageMemory) is { } gib)
{
    if (!(gib > 0 && gib <= 1024)) { Console.Error.WriteLine("error: --max-image-memory must lie in (0, 1024] GiB."); return ExitCodes.BadUsage; }
    ImageMemoryBudget.MaxBytes = (long)(gib * (1L << 30));
}
return await CliRunner.RunAsync(root, args);
