using System.Text;
using System.Text.Json;
using ImageGuide.Model;
using ImageGuide.Planning;

namespace ImageGuide.Tests.Planning;

/// <summary>plan.json read strictly: no object may repeat a property name (RFC 8259 says names SHOULD be unique;
/// readers differ on which of two repeated values they keep).</summary>
public class PlanJsonStrictTests
{
    /// <summary>Every property name that repeats within one object, as "path.name" (empty when the JSON is strict).</summary>
    internal static List<string> DuplicateProperties(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var names = new Stack<HashSet<string>?>();
        var duplicates = new List<string>();
        while (reader.Read())
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject: names.Push(new HashSet<string>(StringComparer.Ordinal)); break;
                case JsonTokenType.StartArray: names.Push(null); break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray: names.Pop(); break;
                case JsonTokenType.PropertyName:
                    string name = reader.GetString()!;
                    if (!names.Peek()!.Add(name)) duplicates.Add($"depth {names.Count}: {name}");
                    break;
            }
        return duplicates;
    }

    [Test]
    public void TheCheckerFindsARepeatedKey() =>
        Assert.That(DuplicateProperties("""{"a":1,"b":{"a":2,"c":[{"d":1,"d":2}]},"a":3}"""), Is.EquivalentTo(new[] { "depth 4: d", "depth 1: a" }), "depth counts objects and arrays");

    [Test]
    public void PlanJsonHasOneWarningsKeyHoldingThePlansAndTheCallersWarnings()
    {
        // A 10 mm tumour in the analytic torso, two approximate probes: the cryo plan has warnings of its own (approximate
        // catalogue model), and the caller adds one — both used to be written under two "warnings" keys.
        var anatomy = new ShapePhantom(75, 65, 45, new Vec3(2, 2, 2), new Vec3(-74, -64, -44))
            .Add(1, "body", LabelRole.Body, p => Math.Pow(p.X / 70, 2) + Math.Pow(p.Y / 60, 2) <= 1)
            .Add(2, "tumour", LabelRole.Target, ShapePhantom.Sphere(Vec3.Zero, 10))
            .Add(3, "cord", LabelRole.Critical, ShapePhantom.Cylinder(new Vec3(0, 48, 0), new Vec3(0, 0, 1), 5))
            .Anatomy();
        var paths = new TrajectoryPlanner(anatomy);
        var cryo = new CryoPlanner(paths).Plan(probeCount: 2);
        Assume.That(cryo.Warnings, Is.Not.Empty, "the approximate model always warns");
        const string mine = "the caller's own warning";
        string json = PlanJson.Serialize(paths.Plan(anatomy.TargetCentroid()), cryo, warnings: [mine]);

        Assert.That(DuplicateProperties(json), Is.Empty, json);
        using var doc = JsonDocument.Parse(json);
        var warnings = doc.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()).ToList();
        Assert.That(warnings, Is.EquivalentTo(cryo.Warnings.Distinct().Append(mine)));
    }
}
