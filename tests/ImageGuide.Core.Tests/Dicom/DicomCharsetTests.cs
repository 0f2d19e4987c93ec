using ImageGuide.Dicom;

namespace ImageGuide.Tests.Dicom;

/// <summary>
/// Specific Character Set decoding on pydicom's charset files. Expected names are the bytes listed in
/// charset_files/FileInfo.txt mapped through the character set's code table by hand (ISO 8859-1, -5, -7, UTF-8,
/// GB18030).
/// </summary>
[TestFixture]
public sealed class DicomCharsetTests
{
    [TestCase("chrFren.dcm", "Buc^J\u00e9r\u00f4me")]                  // ISO_IR 100: E9 é, F4 ô
    [TestCase("chrGerm.dcm", "\u00c4neas^R\u00fcdiger")]               // ISO_IR 100: C4 Ä, FC ü
    [TestCase("chrRuss.dcm", "\u041b\u044e\u043ace\u043c\u0431yp\u0433")]    // ISO_IR 144: BB Л, EE ю, DA к, DC м, D1 б, D3 г
    [TestCase("chrGreek.dcm", "\u0394\u03b9\u03bf\u03bd\u03c5\u03c3\u03b9\u03bf\u03c2")] // ISO_IR 126: Διονυσιος
    [TestCase("chrX1.dcm", "Wang^XiaoDong=\u738b^\u5c0f\u6771=")]      // ISO_IR 192: E7 8E 8B 王, E5 B0 8F 小, E6 9D B1 東
    [TestCase("chrX2.dcm", "Wang^XiaoDong=\u738b^\u5c0f\u4e1c=")]      // GB18030: CD F5 王, D0 A1 小, B6 AB 东
    public void PatientNameIsDecodedWithTheFilesCharacterSet(string name, string expected)
    {
        string path = TestPaths.RequireShared(Path.Combine(PydicomReference.Folder, "charset_files", name));
        DicomFile file = DicomFile.Read(path);
        Assert.That(file.Dataset.GetString(DicomTags.PatientName), Is.EqualTo(expected));
        Assert.That(file.Warnings, Is.Empty);
    }

    [TestCase("chrH31.dcm")]
    [TestCase("chrI2.dcm")]
    public void Iso2022CodeExtensionsAreReadAsAsciiWithAWarning(string name)
    {
        string path = TestPaths.RequireShared(Path.Combine(PydicomReference.Folder, "charset_files", name));
        DicomFile file = DicomFile.Read(path);
        Assert.That(file.Warnings, Has.Some.Contains("ISO 2022"));
        Assert.That(file.Dataset.GetString(DicomTags.PatientName), Does.StartWith(name == "chrH31.dcm" ? "Yamada^Tarou=" : "Hong^Gildong="));
    }

    [Test]
    public void SequenceItemsInheritOrOverrideTheCharacterSet()
    {
        var b = new DicomStreamBuilder();
        byte[] inherits = b.Nested().Element(0x0010, 0x0010, "PN", [0x4A, 0xC3, 0xA9]).ToArray(); // "Jé" in UTF-8
        byte[] overrides = b.Nested().Text(0x0008, 0x0005, "CS", "ISO_IR 100").Element(0x0010, 0x0010, "PN", [0x4A, 0xE9]).ToArray();
        byte[] data = b.Text(0x0008, 0x0005, "CS", "ISO_IR 192")
            .Sequence(0x0008, 0x1140, true, true, inherits, overrides).ToArray();
        DicomDataset ds = DicomFile.Read(data, "cs.dcm").Dataset;
        Assert.That(ds.TryGetSequence(DicomTags.ReferencedImageSequence, out var items), Is.True);
        Assert.That(items![0].GetString(DicomTags.PatientName), Is.EqualTo("J\u00e9"));
        Assert.That(items[1].GetString(DicomTags.PatientName), Is.EqualTo("J\u00e9"));
    }

    [Test]
    public void UnknownCharacterSetNeverThrows()
    {
        byte[] data = new DicomStreamBuilder().Text(0x0008, 0x0005, "CS", "ISO_IR 999")
            .Element(0x0010, 0x0010, "PN", [0x41, 0xE9, 0x42, 0x20]).ToArray();
        DicomFile file = DicomFile.Read(data, "x.dcm");
        Assert.That(file.Dataset.GetString(DicomTags.PatientName), Is.EqualTo("A\uFFFDB"));
        Assert.That(file.Warnings, Has.One.Contains("'ISO_IR 999' is not supported"));
    }
}
