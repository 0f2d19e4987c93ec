using System.Diagnostics;
using ImageGuide.Rendering;
using NUnit.Framework;

namespace ImageGuide.Rendering.Tests;

/// <summary>The planning PDF speaks of the plan's own modality (plan.json "modality"), and lists cement access.</summary>
public class PlanPdfWordingTests
{
    private static string Text(string planJson)
    {
        if (!(Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "pdftotext"))))
        {
            const string why = "poppler-utils (pdftotext) not installed: the PDF's words are not checked";
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(why + " (CI installs it through .ci/run)");
            Assert.Ignore(why);
        }
        string pdf = Path.Combine(Path.GetTempPath(), $"plan-{Guid.NewGuid():N}.pdf");
        try
        {
            PlanPdfReport.Write(planJson, pdf, [], null);
            var psi = new ProcessStartInfo("pdftotext") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { "-layout", pdf, "-" }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            string text = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.That(p.ExitCode, Is.Zero, "pdftotext");
            return text;
        }
        finally { File.Delete(pdf); }
    }

    private const string Common = """
        "trajectories": [], "probes": [{"model": "m", "tip": [1, 2, 3], "axis": [0, 0, 1], "entry": [1, 2, 90], "lengthMm": 87}],
        "probeCount": 1, "probeLayout": "parallel", "coverage": 0.99, "minMarginMm": 5.1, "iceToSkinMm": 40, "feasible": true,
        "lethalIsothermC": -20, "tumourMarginMm": 5, "fusionUncertaintyMm": 0.5, "warnings": []
        """;

    [TestCase("rfa", "Radiofrequency ablation plan", "RF electrode plan", "electrodes")]
    [TestCase("mwa", "Microwave ablation plan", "MW antenna plan", "antennas")]
    [TestCase("cryo", "Cryoablation plan", "Cryoprobe plan", "probes")]
    public void TitleAndWordsFollowTheModality(string modality, string title, string section, string applicators)
    {
        string text = Text("{\"modality\": \"" + modality + "\", \"applicators\": [{\"zone\": {\"edgeTemperatureC\": " + (modality == "cryo" ? "0" : "50") + "}}], " + Common + "}");
        Assert.That(text, Does.Contain(title).And.Contain(section).And.Contain(applicators));
        if (modality != "cryo")
        {
            Assert.That(text, Does.Not.Contain("Cryo").And.Not.Contain("cryo"), "no cryo wording on a heat plan");
            Assert.That(text, Does.Contain("50 °C zone edge").And.Contain("zone edge (tumour cell death)"));
            Assert.That(text, Does.Not.Contain("lethal isotherm"));
        }
        else Assert.That(text, Does.Contain("lethal isotherm").And.Contain("0 °C edge"));
    }

    [Test]
    public void CementAccessIsListedWithTheReasonsOfInfeasibleCannulas()
    {
        string text = Text("{\"modality\": \"cryo\", " + Common + """
            , "cementAccess": [{"approach": "bipedicular", "feasible": false, "reason": "the left path is broken",
              "trajectories": [{"side": "right", "target": [1, 2, 3], "entry": [4, 5, 6], "lengthMm": 101.5, "feasible": true, "reasons": []},
                               {"side": "left", "target": [7, 8, 9], "entry": null, "feasible": false, "why": "no entry through the pedicle"}]}]}
            """);
        Assert.That(text, Does.Contain("Cement access").And.Contain("bipedicular").And.Contain("101.5 mm"));
        Assert.That(text, Does.Contain("no entry through the pedicle").And.Contain("the left path is broken"));
    }
}
