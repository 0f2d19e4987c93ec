using System.Buffers.Binary;
using System.Text;
using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Dicom.Network;

/// <summary>Query/Retrieve level (0008,0052) of a C-FIND, C-MOVE or C-GET (PS3.4 §C.3).</summary>
public enum QueryLevel
{
    /// <summary>PATIENT (Patient Root information model).</summary>
    Patient,
    /// <summary>STUDY (Study Root).</summary>
    Study,
    /// <summary>SERIES (Study Root).</summary>
    Series,
    /// <summary>IMAGE (Study Root).</summary>
    Image,
}

/// <summary>
/// A C-FIND/C-MOVE/C-GET identifier: the level and the matching and return keys (PS3.4 §C.2.2). An empty value is
/// a return key ("send me this attribute"); a value is matched (single value, wildcard <c>*</c>/<c>?</c>, UID list
/// <c>\</c>, date range <c>A-B</c>). <see cref="Default"/> adds the usual return keys of each level.
/// </summary>
public sealed class DicomQuery
{
    private readonly SortedDictionary<DicomTag, string> _keys = new();

    /// <summary>Creates an identifier for <paramref name="level"/> with no keys besides the level.</summary>
    public DicomQuery(QueryLevel level) => Level = level;

    /// <summary>The query level.</summary>
    public QueryLevel Level { get; }

    /// <summary>The keys (tag → value; "" for return keys).</summary>
    public IReadOnlyDictionary<DicomTag, string> Keys => _keys;

    /// <summary>The Query/Retrieve level text.</summary>
    public string LevelText => Level switch { QueryLevel.Patient => "PATIENT", QueryLevel.Study => "STUDY", QueryLevel.Series => "SERIES", _ => "IMAGE" };

    /// <summary>The level's usual return keys (patient name and ID, UIDs, dates, descriptions, modality, counts).</summary>
    public static DicomQuery Default(QueryLevel level)
    {
        var q = new DicomQuery(level);
        q.Set(DicomTags.PatientName, "").Set(DicomTags.PatientId, "");
        switch (level)
        {
            case QueryLevel.Patient:
                q.Set(new DicomTag(0x0010, 0x0030), "").Set(new DicomTag(0x0010, 0x0040), "").Set(new DicomTag(0x0020, 0x1200), "");
                break;
            case QueryLevel.Study:
                q.Set(DicomTags.StudyInstanceUid, "").Set(new DicomTag(0x0008, 0x0020), "").Set(new DicomTag(0x0008, 0x0030), "")
                 .Set(new DicomTag(0x0008, 0x0050), "").Set(new DicomTag(0x0020, 0x0010), "").Set(new DicomTag(0x0008, 0x1030), "")
                 .Set(new DicomTag(0x0008, 0x0061), "").Set(new DicomTag(0x0020, 0x1208), "");
                break;
            case QueryLevel.Series:
                q.Set(DicomTags.StudyInstanceUid, "").Set(DicomTags.SeriesInstanceUid, "").Set(DicomTags.Modality, "")
                 .Set(new DicomTag(0x0020, 0x0011), "").Set(new DicomTag(0x0008, 0x103E), "").Set(new DicomTag(0x0020, 0x1209), "");
                break;
            case QueryLevel.Image:
                q.Set(DicomTags.StudyInstanceUid, "").Set(DicomTags.SeriesInstanceUid, "").Set(DicomTags.SopInstanceUid, "")
                 .Set(DicomTags.SopClassUid, "").Set(new DicomTag(0x0020, 0x0013), "");
                break;
        }
        return q;
    }

    /// <summary>Sets a key (overwriting one already set); returns this query for chaining.</summary>
    /// <exception cref="ArgumentException">The tag is in group 0000/0002, is Query/Retrieve Level itself, or not a text VR.</exception>
    public DicomQuery Set(DicomTag tag, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (tag.Group is 0x0000 or 0x0002 || tag == QueryRetrieveLevel)
            throw new ArgumentException($"{tag} cannot be a query key", nameof(tag));
        string vr = VrOf(tag);
        if (!TextVrs.Contains(vr)) throw new ArgumentException($"{tag} has VR {vr}; only text attributes can be query keys", nameof(tag));
        _keys[tag] = value;
        return this;
    }

    /// <summary>(0008,0052) Query/Retrieve Level.</summary>
    public static DicomTag QueryRetrieveLevel { get; } = new(0x0008, 0x0052);

    /// <summary>VRs of the Query/Retrieve keys (PS3.4 §C.6), then the reader's dictionary.</summary>
    private static readonly Dictionary<uint, string> KeyVrs = new()
    {
        [0x00080020] = "DA", [0x00080021] = "DA", [0x00080030] = "TM", [0x00080031] = "TM", [0x00080050] = "SH", [0x00080052] = "CS",
        [0x00080060] = "CS", [0x00080061] = "CS", [0x00080062] = "UI", [0x00080090] = "PN", [0x00081030] = "LO", [0x0008103E] = "LO",
        [0x00080016] = "UI", [0x00080018] = "UI", [0x00100010] = "PN", [0x00100020] = "LO", [0x00100030] = "DA", [0x00100040] = "CS",
        [0x0020000D] = "UI", [0x0020000E] = "UI", [0x00200010] = "SH", [0x00200011] = "IS", [0x00200013] = "IS",
        [0x00201200] = "IS", [0x00201202] = "IS", [0x00201204] = "IS", [0x00201206] = "IS", [0x00201208] = "IS", [0x00201209] = "IS",
        [0x00080005] = "CS", [0x00080201] = "SH",
    };

    private static string VrOf(DicomTag tag) => KeyVrs.TryGetValue(tag.Value, out var vr) ? vr : DicomDictionary.LookupVR(tag).ToString();

    private static readonly HashSet<string> TextVrs = ["AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"];

    /// <summary>Encodes the identifier in Implicit or Explicit VR Little Endian.</summary>
    internal byte[] Encode(string transferSyntax)
    {
        bool explicitVr = transferSyntax != TransferSyntaxNames.ImplicitVRLittleEndian;
        var all = new SortedDictionary<DicomTag, string>(_keys) { [QueryRetrieveLevel] = LevelText };
        var ms = new MemoryStream();
        Span<byte> h = stackalloc byte[8];
        foreach (var (tag, value) in all)
        {
            string vr = VrOf(tag);
            byte[] v = vr is "PN" or "LO" or "SH" or "ST" or "LT" or "UT" or "UC" ? Encoding.UTF8.GetBytes(value) : Encoding.ASCII.GetBytes(value);
            int length = v.Length + (v.Length & 1);
            BinaryPrimitives.WriteUInt16LittleEndian(h, tag.Group);
            BinaryPrimitives.WriteUInt16LittleEndian(h[2..], tag.Element);
            if (explicitVr)
            {
                if (vr is "UC" or "UR" or "UT")
                {
                    ms.Write(h[..4]);
                    ms.Write([(byte)vr[0], (byte)vr[1], 0, 0]);
                    BinaryPrimitives.WriteUInt32LittleEndian(h[4..], (uint)length);
                    ms.Write(h[4..]);
                }
                else
                {
                    h[4] = (byte)vr[0];
                    h[5] = (byte)vr[1];
                    BinaryPrimitives.WriteUInt16LittleEndian(h[6..], (ushort)length);
                    ms.Write(h);
                }
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(h[4..], (uint)length);
                ms.Write(h);
            }
            ms.Write(v);
            if ((v.Length & 1) == 1) ms.WriteByte(vr == "UI" ? (byte)0 : (byte)' ');
        }
        return ms.ToArray();
    }

    /// <summary>Decodes a received identifier (a C-FIND match) in the context's transfer syntax.</summary>
    internal static DicomDataset Decode(ReadOnlyMemory<byte> data, string transferSyntax, string source)
    {
        var dataset = new DicomDataset(source, DicomCharset.Default, []);
        var encoding = DicomEncoding.FromTransferSyntax(transferSyntax);
        if (encoding.Deflated) throw new DicomProtocolException($"{source}: a deflated C-FIND identifier is not supported");
        DicomDatasetBuilder.Build(data, encoding, 0, dataset, stopAtPixelData: false, data.Length, metaGroupOnly: false, CancellationToken.None);
        return dataset;
    }
}
