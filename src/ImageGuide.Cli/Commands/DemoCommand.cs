using System.CommandLine;
using ImageGuide.Workflows.Demo;
using Spectre.Console;

namespace ImageGuide.Cli.Commands;

/// <summary><c>imageguide demo [--out DIR]</c>: the main job end to end on the embedded phantom.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "New or empty folder for the report", DefaultValueFactory = _ => "demo-out" };
        var seed = new Option<ulong>("--seed") { Description = "Phantom seed", DefaultValueFactory = _ => 1 };
        var size = new Option<string>("--size") { Description = "Phantom size: small (fast) or full", DefaultValueFactory = _ => "small" };
        size.AcceptOnlyFromAmong("small", "full");
        var cmd = new Command("demo", "Run the main job end to end on the embedded spine phantom and write a report") { output, seed, size };
        cmd.SetAction(async (parse, ct) =>
        {
            string dir = parse.GetValue(output)!;
            if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
                throw new UsageException($"{dir} is not empty; pass --out with a new folder (nothing is overwritten).");
            Directory.CreateDirectory(dir);
            var options = PhantomCommand.Options(parse.GetValue(seed), parse.GetValue(size)!, 2);
            var report = await CliRunner.WithProgressAsync("Demo", p => Task.Run(() => DemoRunner.Run(dir, options, p, ct), ct));
            var table = new Table().Border(TableBorder.Rounded).AddColumn("step").AddColumn("status").AddColumn("result");
            foreach (var s in report.Steps)
                table.AddRow(Markup.Escape(s.Name), s.Status == "done" ? "[green]done[/]" : "[yellow]" + Markup.Escape(s.Status) + "[/]",
                    Markup.Escape(string.Join("\n", s.Facts.Take(4).Select(f => $"{f.Key}: {f.Value}"))));
            CliRunner.Out.Write(table);
            CliRunner.Out.MarkupLine($"Report: [bold]{Markup.Escape(Path.Combine(dir, "report.md"))}[/]");
            return ExitCodes.Success;
        });
        return cmd;
    }
}
