using ImageGuide.Workflows.Validation;

namespace ImageGuide.Tests.Validation;

public class ElastixToolTests
{
    /// <summary>
    /// End to end through the real elastix: the moving image is the fixed one resampled through a known fixed → moving
    /// transform, so reading TransformParameters.0.txt back the right way round gives that transform (the inverse
    /// would be off by twice the shift).
    /// </summary>
    [Test]
    public void Elastix_RecoversAKnownTransform_InTheFixedToMovingConvention()
    {
        if (ElastixRegistrationTool.Locate() is null)
        {
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail("elastix is missing on CI: .ci/run installs it.");
            Assert.Ignore("elastix is not installed (apt-get install elastix)");
        }
        var g = new VolumeGeometry(40, 40, 40, new Vec3(2, 2, 2), new Vec3(-39, -39, -39));
        var image = new Volume<float>(g);
        Vec3[] blobs = [new(-15, -8, 3), new(12, -14, -10), new(4, 16, 12), new(-6, 5, -18), new(18, 10, 8)];
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                {
                    var p = g.IndexToPhysical(i, j, k);
                    double v = 0;
                    for (int b = 0; b < blobs.Length; b++) v += (100 + 40 * b) * Math.Exp(-(p - blobs[b]).Length * (p - blobs[b]).Length / (2 * 36));
                    image[i, j, k] = (float)v;
                }
        var truth = new RigidTransform(Versor.FromAxisAngle(new Vec3(0, 0, 1), 4 * Math.PI / 180), new Vec3(3, -2, 4), Vec3.Zero);
        // moving(truth(p)) = fixed(p): resample the fixed image through truth⁻¹
        var moving = Resampler.Resample(image, g, truth.Inverse(), InterpolationMode.Linear);
        string dir = Path.Combine(Path.GetTempPath(), "imageguide-elastix-" + Guid.NewGuid().ToString("N"));
        try
        {
            var c = new ValidationCase("synthetic", 0, new FileCaseImages("f", "m", null, null, false), new TransformReference("t"), "ct-mr", "CT-MR", "test", "{}");
            Vec3[] points = [new(0, 0, 0), new(20, 0, 0), new(0, 20, 0), new(0, 0, 20)];
            var data = new ValidationCaseData(c, image, moving, null, null, points, Array.ConvertAll(points, truth.TransformPoint));
            var result = new ElastixRegistrationTool(ElastixRegistrationTool.Locate()!, dir).Register(data, CancellationToken.None);
            Assert.That(data.Errors(result).Max(), Is.LessThan(0.5));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
