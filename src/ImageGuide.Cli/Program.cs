using System.CommandLine;
using ImageGuide.Cli;
using ImageGuide.Cli.Commands;

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
return await CliRunner.RunAsync(root, args);
