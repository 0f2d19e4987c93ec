using ImageGuide.Imaging;
using ImageGuide.IO;
using ImageGuide.Phantoms;
using ImageGuide.Registration;

namespace ImageGuide.Tests.Registration;

/// <summary>The <c>auto</c> preset recognises real images by their tags and, for volume files, by their intensity scale.</summary>
[TestFixture]
public class PresetSelectionTests
{
    [Test]
    public void RealDicom_IsRecognisedByItsModality()
    {
        var ct = VolumeReader.Read(TestPaths.RequireShared("ct-philips-brain-5mm")).Volume;
        var mr = VolumeReader.Read(TestPaths.RequireShared("mr-decubitus-4-positions/In/HFS")).Volume;
        Assert.That(PresetSelection.Recognize(ct).Kind, Is.EqualTo(ImageKind.Ct));
        Assert.That(PresetSelection.Recognize(mr).Kind, Is.EqualTo(ImageKind.Mr));
        var choice = PresetSelection.Choose(ct, mr);
        Assert.That(choice.PresetName, Is.EqualTo("ct-mr"));
        Assert.That(choice.Settings.Initializer, Is.EqualTo(InitializerKind.Auto));
        Assert.That(choice.Reason, Does.Contain("DICOM Modality CT").And.Contain("DICOM Modality MR"));
    }

    [Test]
    public void RealVolumeFiles_AreRecognisedByTheirIntensityScale()
    {
        var ct = VolumeReader.Read(TestPaths.RequireShared("ct-mr-totalsegmentator/example_ct.nii.gz")).Volume;
        var mr = VolumeReader.Read(Directory.GetFiles(TestPaths.RequireShared("mr-rire-t1"), "*.mha")[0]).Volume;
        var ctGuess = PresetSelection.Recognize(ct);
        Assert.That(ctGuess.Kind, Is.EqualTo(ImageKind.Ct), ctGuess.Reason);
        Assert.That(ctGuess.Reason, Does.Contain("air"));
        Assert.That(PresetSelection.Recognize(mr).Kind, Is.EqualTo(ImageKind.Mr));
        // the same CT with its scale shifted so air sits at −700: an X-ray scale without HU calibration (cone-beam)
        var shifted = ct.Convert(v => (float)(v + 300));
        Assert.That(PresetSelection.Recognize(shifted).Kind, Is.EqualTo(ImageKind.Cbct));
        Assert.That(PresetSelection.Choose(shifted, mr).PresetName, Is.EqualTo("cbct-mr"));
    }

    [Test]
    public void PhantomConeBeam_IsRecognisedFromItsDescription_AndTheClippingFollowsTheCbct()
    {
        var phantom = PhantomGenerator.Generate(new PhantomOptions { Seed = 2 });
        Assert.That(PresetSelection.Recognize(phantom.Cbct.Image).Kind, Is.EqualTo(ImageKind.Cbct));
        var forward = PresetSelection.Choose(phantom.Cbct.Image, phantom.MrT1.Image);
        var backward = PresetSelection.Choose(phantom.MrT1.Image, phantom.Cbct.Image);
        Assert.That((forward.PresetName, backward.PresetName), Is.EqualTo(("cbct-mr", "cbct-mr")));
        Assert.That(backward.Settings.MovingClipPercentiles, Is.EqualTo(forward.Settings.FixedClipPercentiles), "the CBCT's clipping moves with it");
        Assert.That(PresetSelection.Choose(phantom.DiagnosticCt.Image, phantom.Cbct.Image).PresetName, Is.EqualTo("ct-cbct"));
    }

    [Test]
    public void NewSettings_RoundTripThroughPresetJson_AndInvalidOnesAreNamed()
    {
        var s = RegistrationPreset.CtMr with
        {
            GlobalSearch = new GlobalSearchSettings { TranslationStepMm = 16, Candidates = 5 },
            Verdict = new VerdictSettings { DoubtZScoreBelow = 5, NullSamples = 30 },
        };
        var back = RegistrationPreset.FromJson(RegistrationPreset.ToJson(s));
        Assert.That(back.GlobalSearch, Is.EqualTo(s.GlobalSearch));
        Assert.That(back.Verdict, Is.EqualTo(s.Verdict));
        Assert.That(back.Initializer, Is.EqualTo(InitializerKind.Auto));
        var e = Assert.Throws<RegistrationException>(() => RegistrationPreset.FromJson(RegistrationPreset.ToJson(s with { Verdict = new VerdictSettings { FailZScoreBelow = 9 } })));
        Assert.That(e!.Message, Does.Contain("verdict.failZScoreBelow"));
        e = Assert.Throws<RegistrationException>(() => RegistrationPreset.FromJson(RegistrationPreset.ToJson(s with { GlobalSearch = new GlobalSearchSettings { TranslationStepMm = 0.5 } })));
        Assert.That(e!.Message, Does.Contain("globalSearch.translationStepMm"));
    }

    [Test]
    public void AutoStart_TrustsPatientCoordinatesOnlyWhenTheFramesOfReferenceMatch()
    {
        var mr = VolumeReader.Read(TestPaths.RequireShared("mr-decubitus-4-positions/In/HFS")).Volume;
        string frame = mr.Metadata.FrameOfReferenceUid!;
        // the same series against a copy of itself shifted 3 mm in the same frame: patient coordinates are trusted
        var g = mr.Geometry;
        var shifted = mr.WithGeometry(g.WithOrigin(g.Origin + new Vec3(3, 0, 0)));
        var settings = RegistrationPreset.CtMr with { Verdict = new VerdictSettings { InverseConsistency = false } };
        var same = new RigidRegistration(settings).Execute(mr, shifted);
        Assert.That(same.Start.Kind, Is.EqualTo("patient-coordinates"));
        Assert.That(same.Start.Reason, Does.Contain(frame));
        var other = new Volume<float>(shifted.Geometry, shifted.Data, mr.Metadata with { FrameOfReferenceUid = "1.2.3.4" });
        var different = new RigidRegistration(settings).Execute(mr, other);
        Assert.That(different.Start.Kind, Is.EqualTo("global-search"));
        Assert.That(different.Start.Reason, Does.Contain("differ"));
        // either way the answer is the 3 mm shift
        foreach (var r in new[] { same, different })
            Assert.That((r.Transform.TransformPoint(g.Center) - (g.Center + new Vec3(3, 0, 0))).Length, Is.LessThan(0.3), r.Start.Kind);
    }
}
