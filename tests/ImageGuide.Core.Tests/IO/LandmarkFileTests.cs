using ImageGuide.IO;
using ImageGuide.Model;

namespace ImageGuide.Tests.IO;

public class LandmarkFileTests : IoTestBase
{
    private const string SlicerColumns = "# columns = id,x,y,z,ow,ox,oy,oz,vis,sel,lock,label,desc,associatedNodeID\n";
    private const string SlicerRow = "vtkMRMLMarkupsFiducialNode_0,10,-20,30.5,0,0,0,1,1,1,0,F-1,,vtkMRMLScalarVolumeNode1\n";

    [Test]
    public void Fcsv_RasIsNegatedInXAndY()
    {
        string text = "# Markups fiducial file version = 4.11\n# CoordinateSystem = RAS\n" + SlicerColumns + SlicerRow;
        var l = LandmarkFile.ParseFcsv(text);
        Assert.That(l, Has.Count.EqualTo(1));
        Assert.That(l[0], Is.EqualTo(new Landmark("F-1", new Vec3(-10, 20, 30.5))));
    }

    [TestCase("# CoordinateSystem = 0\n", -10, 20)]
    [TestCase("", -10, 20)]
    [TestCase("# CoordinateSystem = LPS\n", 10, -20)]
    [TestCase("# CoordinateSystem = 1\n", 10, -20)]
    public void Fcsv_CoordinateSystemLineIsHonoured(string csLine, double x, double y)
    {
        var l = LandmarkFile.ParseFcsv("# Markups fiducial file version = 4.6\n" + csLine + SlicerColumns + SlicerRow);
        Assert.That(l[0].PositionLps, Is.EqualTo(new Vec3(x, y, 30.5)));
    }

    [Test]
    public void MarkupsJson_BothCoordinateSystems()
    {
        string json = """
            {"@schema":"https://raw.githubusercontent.com/slicer/slicer/master/Modules/Loadable/Markups/Resources/Schema/markups-schema-v1.0.3.json#",
             "markups":[
               {"type":"Fiducial","coordinateSystem":"LPS","controlPoints":[{"id":"1","label":"tip","position":[1.5,-2,3]}]},
               {"type":"Fiducial","coordinateSystem":"RAS","controlPoints":[{"id":"1","label":"entry","position":[4,5,-6]},{"position":[0,-1,1]}]}
             ]}
            """;
        var l = LandmarkFile.ParseMarkupsJson(json);
        Assert.That(l, Is.EqualTo(new[]
        {
            new Landmark("tip", new Vec3(1.5, -2, 3)),
            new Landmark("entry", new Vec3(-4, -5, -6)),
            new Landmark("P3", new Vec3(0, 1, 1)),
        }));
    }

    [Test]
    public void Csv_WithAndWithoutHeaderAndLabels()
    {
        Assert.That(LandmarkFile.ParseCsv("1,2,3\n4,5,6\n"), Is.EqualTo(new[] { new Landmark("P1", new Vec3(1, 2, 3)), new Landmark("P2", new Vec3(4, 5, 6)) }));
        Assert.That(LandmarkFile.ParseCsv("label,x,y,z\r\ntumour,1,2,3\r\n\"a, b\",-1e1,0.5,7\r\n"),
            Is.EqualTo(new[] { new Landmark("tumour", new Vec3(1, 2, 3)), new Landmark("a, b", new Vec3(-10, 0.5, 7)) }));
        Assert.That(LandmarkFile.ParseCsv("z,x,y,name\n3,1,2,c\n"), Is.EqualTo(new[] { new Landmark("c", new Vec3(1, 2, 3)) }));
    }

    [Test]
    public void Csv_WriteThenRead_RoundTrips()
    {
        Landmark[] points = [new("a", new Vec3(0.1, -2.5, 1e-7)), new("quote \"q\", comma", new Vec3(-100.25, 3, 4))];
        LandmarkFile.WriteCsv(points, P("l.csv"));
        Assert.That(File.ReadAllText(P("l.csv")), Does.StartWith("label,x,y,z\n"));
        Assert.That(LandmarkFile.Read(P("l.csv")), Is.EqualTo(points));
    }

    [Test]
    public void MarkupsJson_WriteThenRead_RoundTripsInLps()
    {
        Landmark[] points = [new("tip", new Vec3(1.25, -2, 3e-3)), new("entry", new Vec3(-40, 55.5, 120))];
        LandmarkFile.WriteMarkupsJson(points, P("gt.mrk.json"));
        Assert.That(File.ReadAllText(P("gt.mrk.json")), Does.Contain("\"coordinateSystem\": \"LPS\""));
        Assert.That(LandmarkFile.Read(P("gt.mrk.json")), Is.EqualTo(points));
    }

    [Test]
    public void Read_DispatchesOnExtension()
    {
        File.WriteAllText(P("f.fcsv"), "# CoordinateSystem = RAS\n" + SlicerColumns + SlicerRow);
        Assert.That(LandmarkFile.Read(P("f.fcsv"))[0].PositionLps, Is.EqualTo(new Vec3(-10, 20, 30.5)));
        File.WriteAllText(P("m.mrk.json"), "{\"markups\":[{\"coordinateSystem\":\"RAS\",\"controlPoints\":[{\"position\":[1,2,3]}]}]}");
        Assert.That(LandmarkFile.Read(P("m.mrk.json"))[0].PositionLps, Is.EqualTo(new Vec3(-1, -2, 3)));
    }

    [Test]
    public void MalformedFiles_RaiseTypedExceptionsNamingFileAndLine()
    {
        var e1 = Assert.Throws<InvalidImageDataException>(() => LandmarkFile.ParseCsv("1,2,3\n4,x,6\n", "pts.csv"));
        Assert.That(e1!.Message, Does.Contain("pts.csv").And.Contain("line 2"));
        Assert.Throws<InvalidImageDataException>(() => LandmarkFile.ParseCsv("1,2\n"));
        Assert.Throws<UnsupportedFormatException>(() => LandmarkFile.ParseFcsv("# CoordinateSystem = IJK\n" + SlicerRow));
        var e2 = Assert.Throws<InvalidImageDataException>(() => LandmarkFile.ParseMarkupsJson("{\"markups\":[{\"controlPoints\":[{\"position\":[1,2]}]}]}", "m.json"));
        Assert.That(e2!.Message, Does.Contain("m.json").And.Contain("controlPoints[0]"));
        Assert.Throws<InvalidImageDataException>(() => LandmarkFile.Read(P("none.csv")));
    }
}
