namespace ImageGuide.Cli.Tests;

public class UsageTests
{
    [Test]
    public void UnknownCommand_ExitsWithBadUsage()
    {
        var r = CliProcess.Run("frobnicate");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("frobnicate"));
    }

    [Test]
    public void MissingArgument_ExitsWithBadUsage()
    {
        var r = CliProcess.Run("info");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Stderr);
    }

    [Test]
    public void Help_ListsContractCommands()
    {
        var r = CliProcess.Run("--help");
        Assert.That(r.ExitCode, Is.EqualTo(0));
        foreach (var c in new[] { "info", "convert", "phantom", "demo", "listen", "echo", "send", "query", "retrieve" })
            Assert.That(r.Stdout, Does.Contain(c));
    }
}
