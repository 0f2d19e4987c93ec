using System.Globalization;
using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Workflows.Validation;

namespace ImageGuide.Tests.Validation;

/// <summary>A temporary folder with tiny synthetic cases: images, landmark files, a truth transform and a manifest.</summary>
internal sealed class ValidationFixture : IDisposable
{
    /// <summary>The true fixed → moving transform of every hand-made case: 10° about z through (3, −2, 5), shift (4, −6, 2.5).</summary>
    public static readonly RigidTransform Truth = new(Versor.FromAxisAngle(new Vec3(0, 0, 1), 10 * Math.PI / 180), new Vec3(4, -6, 2.5), new Vec3(3, -2, 5));

    /// <summary>Fixed landmarks of the landmark cases (LPS mm).</summary>
    public static readonly Vec3[] FixedLandmarks =
        [new(0, 0, 0), new(10, 0, 0), new(0, 12, 0), new(0, 0, 14), new(-8, 6, 3), new(5, -9, 11), new(20, 20, -4)];

    public ValidationFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "imageguide-validation-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        var g = new VolumeGeometry(12, 12, 10, new Vec3(2, 2, 2), new Vec3(-11, -11, -9));
        var image = new Volume<float>(g);
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++) image[i, j, k] = i + 2 * j + 3 * k;
        VolumeIO.Write(image, Path.Combine(Folder, "fixed.mha"));
        VolumeIO.Write(image, Path.Combine(Folder, "moving.mha"));
        LandmarkFile.WriteCsv(FixedLandmarks.Select((p, n) => new Landmark("L" + n, p)), Path.Combine(Folder, "fixed.csv"));
        LandmarkFile.WriteCsv(FixedLandmarks.Select((p, n) => new Landmark("L" + n, Truth.TransformPoint(p))), Path.Combine(Folder, "moving.csv"));
        TransformIO.Write(Truth, Path.Combine(Folder, "truth.tfm"));
    }

    public string Folder { get; }

    public string Manifest => Path.Combine(Folder, "manifest.json");

    public const string LandmarkCase = """{ "id": "ID", "fixed": "fixed.mha", "moving": "moving.mha", "fixedLandmarks": "fixed.csv", "movingLandmarks": "moving.csv", "tags": { "pair": "PAIR", "site": "test" } }""";
    public const string TransformCase = """{ "id": "ID", "fixed": "fixed.mha", "moving": "moving.mha", "groundTruthTransform": "truth.tfm", "tags": { "pair": "PAIR", "site": "test" } }""";

    public static string Case(string template, string id, string pair) => template.Replace("ID", id, StringComparison.Ordinal).Replace("PAIR", pair, StringComparison.Ordinal);

    public ValidationManifest WriteManifest(params string[] cases)
    {
        File.WriteAllText(Manifest, "{ \"version\": 1, \"trePoints\": 200, \"cases\": [\n" + string.Join(",\n", cases) + "\n] }");
        return ValidationManifestReader.Read(Manifest);
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    public static string Number(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
}

/// <summary>A stand-in registration tool returning, per case id, the truth composed with a known perturbation P (T' = T∘P).</summary>
internal sealed class PerturbedTruthTool(string name, IReadOnlyDictionary<string, RigidTransform> perturbations, string? failFor = null) : IRegistrationTool
{
    private int _calls;

    public string Name => name;

    public int Calls => _calls;

    public RigidTransform Register(ValidationCaseData data, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (data.Case.Id == failFor) throw new ImageGuideException($"registration of {failFor} did not converge (test)");
        return RigidTransform.Compose(perturbations[data.Case.Id], ValidationFixture.Truth);
    }
}

/// <summary>A clock that advances exactly one second per reading, so stored runtimes are reproducible.</summary>
internal sealed class SteppingClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => 1000;

    public override long GetTimestamp() => Interlocked.Add(ref _ticks, 1000);
}
