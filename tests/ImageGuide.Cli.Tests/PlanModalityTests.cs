namespace ImageGuide.Cli.Tests;

/// <summary><c>plan --modality/--applicator</c>: an applicator of another modality or outside the catalogue is bad usage (exit 2), refused before any file is read.</summary>
public class PlanModalityTests
{
    [Test]
    public void AnApplicatorOfAnotherModalityIsRefusedNamingTheRightOnes()
    {
        var r = CliProcess.Run("plan", "--labels", "no-such-labels.nii.gz", "--modality", "rfa", "--applicator", "emprint-100W-10min");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("emprint-100W-10min is a mwa applicator, not rfa").And.Contain("cooltip-single-3cm"));
    }

    [Test]
    public void AnUnknownApplicatorIsRefusedListingTheCatalogue()
    {
        var r = CliProcess.Run("plan", "--labels", "no-such-labels.nii.gz", "--applicator", "laser-fibre");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("laser-fibre").And.Contain("neuwave-65W-5min"));
    }
}
