using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ImageGuide.Dicom;

/// <summary>
/// A forward-only, allocation-free reader of DICOM data elements over a span of bytes, in the spirit of
/// <see cref="System.Text.Json.Utf8JsonReader"/>: each <see cref="Read"/> yields one token (an element header with
/// its value location, the start or end of a sequence or item, or one fragment of encapsulated pixel data).
/// </summary>
/// <remarks>
/// <para>Handles implicit and explicit VR, little and big endian, sequences and items of defined or undefined
/// length nested up to <see cref="MaxSequenceDepth"/> levels, UN of undefined length (parsed as an implicit VR
/// little endian sequence, as PS3.5 §6.2.2 requires), and encapsulated pixel data. Every length is checked against
/// the bytes that remain in the enclosing container before it is used, so a corrupt length ends in a
/// <see cref="DicomException"/> that names the element and its absolute byte offset.</para>
/// <para>Lenient where real files demand it, as pydicom is: odd value lengths are accepted; in explicit VR, a VR
/// field that is not two upper-case letters is taken as the sign of an implicit VR element (4-byte length, VR from
/// the dictionary); an unknown VR made of two letters is read with a 2-byte length; in implicit VR an element of
/// unknown VR whose value starts with an item tag is read as a sequence.</para>
/// </remarks>
public ref struct DicomElementReader
{
    /// <summary>Deepest nesting of sequences accepted; deeper data is reported as corrupt.</summary>
    public const int MaxSequenceDepth = 32;

    private const uint UndefinedLength = 0xFFFFFFFF;
    private const int StackCapacity = 2 * MaxSequenceDepth + 2;

    private readonly ReadOnlySpan<byte> _data;
    private readonly long _baseOffset;
    private readonly string? _filePath;
    private readonly bool _stopAtPixelData;
    private readonly bool _partial;
    private ContainerStack _stack;
    private int _depth;
    private int _pos;
    private bool _done;

    private DicomTokenType _tokenType;
    private DicomTag _tag;
    private DicomVR _vr;
    private uint _length;
    private int _tokenStart;
    private int _valueStart;
    private bool _valueLittleEndian;

    /// <summary>Creates a reader over a whole data set encoded as the transfer syntax says.</summary>
    /// <param name="data">The encoded data set (no preamble, no file meta group unless that is what is read).</param>
    /// <param name="explicitVr">True for explicit VR encoding.</param>
    /// <param name="littleEndian">True for little endian byte order.</param>
    /// <param name="baseOffset">Absolute offset of <paramref name="data"/>[0] in the file, for error messages.</param>
    /// <param name="filePath">The file being read, for error messages.</param>
    public DicomElementReader(ReadOnlySpan<byte> data, bool explicitVr, bool littleEndian, long baseOffset = 0,
        string? filePath = null)
        : this(data, explicitVr, littleEndian, baseOffset, filePath, stopAtPixelData: false, partial: false)
    {
    }

    /// <summary>Creates a reader; <paramref name="partial"/> says the span is only the start of the data.</summary>
    internal DicomElementReader(ReadOnlySpan<byte> data, bool explicitVr, bool littleEndian, long baseOffset,
        string? filePath, bool stopAtPixelData, bool partial)
    {
        _data = data;
        _baseOffset = baseOffset;
        _filePath = filePath;
        _stopAtPixelData = stopAtPixelData;
        _partial = partial;
        _stack[0] = new Container
        {
            Kind = ContainerKind.Root, End = data.Length, Limit = data.Length, Explicit = explicitVr,
            Little = littleEndian,
        };
        _depth = 1;
    }

    /// <summary>The token read by the last successful <see cref="Read"/>.</summary>
    public readonly DicomTokenType TokenType => _tokenType;

    /// <summary>Tag of the current token (for end tokens, the tag of the sequence or item that ends).</summary>
    public readonly DicomTag Tag => _tag;

    /// <summary>VR of the current element; <see cref="DicomVR.None"/> for items, fragments and delimiters.</summary>
    public readonly DicomVR VR => _vr;

    /// <summary>The length field as written (0xFFFFFFFF for undefined length).</summary>
    public readonly uint Length => _length;

    /// <summary>True when the current token's length field is undefined (0xFFFFFFFF).</summary>
    public readonly bool IsUndefinedLength => _length == UndefinedLength;

    /// <summary>The value bytes of the current <see cref="DicomTokenType.Element"/> or <see cref="DicomTokenType.Fragment"/>.</summary>
    public readonly ReadOnlySpan<byte> ValueSpan =>
        _tokenType is DicomTokenType.Element or DicomTokenType.Fragment && !IsStoppedAtPixelData
            ? _data.Slice(_valueStart, (int)_length)
            : ReadOnlySpan<byte>.Empty;

    /// <summary>Absolute byte offset of the current token's value.</summary>
    public readonly long ValueOffset => _baseOffset + _valueStart;

    /// <summary>Absolute byte offset of the current token's header (its tag).</summary>
    public readonly long TokenOffset => _baseOffset + _tokenStart;

    /// <summary>Bytes of the span consumed so far.</summary>
    public readonly int BytesConsumed => _pos;

    /// <summary>Sequence nesting of the current position: 0 in the top-level data set.</summary>
    public readonly int CurrentDepth => _depth - 1;

    /// <summary>True when the current token's value is little endian (false only for explicit VR big endian).</summary>
    public readonly bool ValueIsLittleEndian => _valueLittleEndian;

    /// <summary>
    /// True once the reader met top-level (7FE0,0010) in stop-at-pixel-data mode: the current token is its header
    /// and nothing further is read (the value is not required to lie inside the span).
    /// </summary>
    public bool IsStoppedAtPixelData { readonly get; private set; }

    /// <summary>True when reading stopped because a partial span ended before the data did.</summary>
    internal bool NeedsMoreData { readonly get; private set; }

    /// <summary>Reads the next token. Returns false at the end of the data.</summary>
    /// <exception cref="DicomException">The data is truncated or corrupt at the current position.</exception>
    public bool Read()
    {
        if (_done) return End();
        while (true)
        {
            ref Container top = ref _stack[_depth - 1];
            if (top.End >= 0 && _pos >= top.End)
            {
                if (top.Kind == ContainerKind.Root)
                {
                    if (_partial) NeedsMoreData = true;
                    return End();
                }
                EmitEnd(ref top, _pos);
                Pop();
                return true;
            }

            int limit = top.Limit;
            if (limit - _pos < 8)
            {
                if (NeedMore(_pos + 8)) return End();
                if (top.End < 0 && _pos == limit)
                    throw Error($"{Describe(top)} starting at byte {_baseOffset + top.Start} has undefined length but the data ends at byte {_baseOffset + _pos} without its delimitation item; the file is truncated or corrupt.", top.Tag, _pos);
                throw Error($"an element header at byte {_baseOffset + _pos} needs 8 bytes but only {limit - _pos} remain in {Describe(top)}; the file is truncated or corrupt.", null, _pos);
            }

            bool little = top.Little;
            var tag = new DicomTag(ReadU16(_pos, little), ReadU16(_pos + 2, little));
            _tokenStart = _pos;
            _valueLittleEndian = little;

            switch (top.Kind)
            {
                case ContainerKind.Sequence:
                    return ReadItemHeader(ref top, tag, little, limit);
                case ContainerKind.Fragments:
                    return ReadFragment(ref top, tag, little, limit);
                default:
                    if (tag.Group == 0xFFFE)
                    {
                        if (tag == DicomTags.ItemDelimitationItem && top.Kind == ContainerKind.Item)
                        {
                            _pos += 8;
                            if (top.End >= 0) continue; // stray delimiter inside a defined-length item: skip
                            EmitEnd(ref top, _pos);
                            Pop();
                            return true;
                        }
                        throw Error($"unexpected {tag} at byte {_baseOffset + _pos} inside {Describe(top)}: item and delimiter tags belong only in sequences; the file is corrupt.", tag, _pos);
                    }
                    return ReadElementHeader(ref top, tag, little, limit);
            }
        }
    }

    /// <summary>
    /// Skips the rest of the current sequence, item or encapsulated pixel data (after a start token), leaving the
    /// reader on its end token. For other tokens it does nothing.
    /// </summary>
    public void Skip()
    {
        if (_tokenType is not (DicomTokenType.StartSequence or DicomTokenType.StartItem or DicomTokenType.StartFragments)
            || IsStoppedAtPixelData)
            return;
        int depth = _depth;
        while (_depth >= depth && Read())
        {
        }
    }

    private bool ReadElementHeader(ref Container top, DicomTag tag, bool little, int limit)
    {
        DicomVR vr;
        uint length;
        int header;
        bool explicitElement = top.Explicit;
        if (explicitElement && IsUpperLetter(_data[_pos + 4]) && IsUpperLetter(_data[_pos + 5]))
        {
            vr = DicomVR.FromBytes(_data[_pos + 4], _data[_pos + 5]);
            if (vr.HasLongLength)
            {
                if (limit - _pos < 12)
                {
                    if (NeedMore(_pos + 12)) return End();
                    throw Error($"element {tag} at byte {_baseOffset + _pos} has VR {vr} and needs a 12-byte header but only {limit - _pos} bytes remain; the file is truncated or corrupt.", tag, _pos);
                }
                length = ReadU32(_pos + 8, little);
                header = 12;
            }
            else
            {
                length = ReadU16(_pos + 6, little);
                header = 8;
            }
        }
        else
        {
            // Implicit VR, or an explicit VR field that is not a VR at all: read as implicit (4-byte length).
            vr = DicomDictionary.LookupVR(tag);
            length = ReadU32(_pos + 4, little);
            header = 8;
            explicitElement = false;
        }

        int valueStart = _pos + header;
        SetToken(DicomTokenType.Element, tag, vr, length, valueStart);

        if (_stopAtPixelData && _depth == 1 && tag == DicomTags.PixelData)
        {
            if (length == UndefinedLength) _tokenType = DicomTokenType.StartFragments;
            IsStoppedAtPixelData = true;
            _done = true;
            _pos = valueStart;
            return true;
        }

        if (length == UndefinedLength)
        {
            if (tag == DicomTags.PixelData)
            {
                _tokenType = DicomTokenType.StartFragments;
                Push(ContainerKind.Fragments, tag, valueStart, -1, top.Explicit, little);
            }
            else if (vr == DicomVR.SQ)
            {
                _tokenType = DicomTokenType.StartSequence;
                Push(ContainerKind.Sequence, tag, valueStart, -1, explicitElement, little);
            }
            else if (vr == DicomVR.UN)
            {
                _tokenType = DicomTokenType.StartSequence;
                _vr = DicomVR.SQ;
                Push(ContainerKind.Sequence, tag, valueStart, -1, explicitVr: false, little: true);
            }
            else
            {
                throw Error($"element {tag} at byte {_baseOffset + _tokenStart} has VR {vr} with undefined length, which only SQ, UN and encapsulated pixel data may have; the file is corrupt.", tag, _tokenStart);
            }
            _pos = valueStart;
            return true;
        }

        if (length > (uint)(limit - valueStart))
        {
            if (NeedMore((long)valueStart + length)) return End();
            throw Error($"element {tag} at byte {_baseOffset + _tokenStart} declares length {length} but only {limit - valueStart} bytes remain{(top.Kind == ContainerKind.Root ? "" : " in " + Describe(top))}; the file is truncated or corrupt.", tag, _tokenStart);
        }

        int end = valueStart + (int)length;
        if (vr == DicomVR.SQ || (!top.Explicit && vr == DicomVR.UN && LooksLikeSequence(valueStart, (int)length, little)))
        {
            _tokenType = DicomTokenType.StartSequence;
            _vr = DicomVR.SQ;
            Push(ContainerKind.Sequence, tag, valueStart, end, explicitElement || top.Explicit, little);
            _pos = valueStart;
            return true;
        }

        _pos = end;
        return true;
    }

    private bool ReadItemHeader(ref Container top, DicomTag tag, bool little, int limit)
    {
        uint length = ReadU32(_pos + 4, little);
        int valueStart = _pos + 8;
        if (tag == DicomTags.Item)
        {
            SetToken(DicomTokenType.StartItem, tag, DicomVR.None, length, valueStart);
            int end = -1;
            if (length != UndefinedLength)
            {
                if (length > (uint)(limit - valueStart))
                {
                    if (NeedMore((long)valueStart + length)) return End();
                    throw Error($"item at byte {_baseOffset + _pos} of {Describe(top)} declares length {length} but only {limit - valueStart} bytes remain; the file is truncated or corrupt.", top.Tag, _pos);
                }
                end = valueStart + (int)length;
            }
            Push(ContainerKind.Item, top.Tag, valueStart, end, top.Explicit, little);
            _pos = valueStart;
            return true;
        }
        if (tag == DicomTags.SequenceDelimitationItem)
        {
            _pos = valueStart;
            EmitEnd(ref top, _pos);
            Pop();
            return true;
        }
        throw Error($"expected an item tag (FFFE,E000) or sequence delimiter (FFFE,E0DD) in {Describe(top)} at byte {_baseOffset + _pos} but found {tag}; the file is corrupt.", top.Tag, _pos);
    }

    private bool ReadFragment(ref Container top, DicomTag tag, bool little, int limit)
    {
        uint length = ReadU32(_pos + 4, little);
        int valueStart = _pos + 8;
        if (tag == DicomTags.SequenceDelimitationItem)
        {
            _pos = valueStart;
            EmitEnd(ref top, _pos);
            Pop();
            return true;
        }
        if (tag != DicomTags.Item)
            throw Error($"expected a fragment item (FFFE,E000) or sequence delimiter (FFFE,E0DD) in encapsulated pixel data at byte {_baseOffset + _pos} but found {tag}; the file is corrupt.", DicomTags.PixelData, _pos);
        if (length > (uint)(limit - valueStart))
        {
            if (NeedMore((long)valueStart + length)) return End();
            string declared = length == UndefinedLength ? "undefined length" : $"length {length}";
            throw Error($"pixel data fragment at byte {_baseOffset + _pos} declares {declared} but only {limit - valueStart} bytes remain; the file is truncated or corrupt.", DicomTags.PixelData, _pos);
        }
        SetToken(DicomTokenType.Fragment, tag, DicomVR.None, length, valueStart);
        _pos = valueStart + (int)length;
        return true;
    }

    private readonly bool LooksLikeSequence(int valueStart, int length, bool little) =>
        length >= 8 && ReadU16(valueStart, little) == 0xFFFE && ReadU16(valueStart + 2, little) == 0xE000;

    private void SetToken(DicomTokenType type, DicomTag tag, DicomVR vr, uint length, int valueStart)
    {
        _tokenType = type;
        _tag = tag;
        _vr = vr;
        _length = length;
        _valueStart = valueStart;
    }

    private void EmitEnd(ref Container top, int position)
    {
        _tokenType = top.Kind switch
        {
            ContainerKind.Sequence => DicomTokenType.EndSequence,
            ContainerKind.Item => DicomTokenType.EndItem,
            _ => DicomTokenType.EndFragments,
        };
        _tag = top.Tag;
        _vr = DicomVR.None;
        _length = 0;
        _tokenStart = position;
        _valueStart = position;
    }

    private void Push(ContainerKind kind, DicomTag tag, int start, int end, bool explicitVr, bool little)
    {
        if (_depth >= StackCapacity)
            throw Error($"sequences nest deeper than {MaxSequenceDepth} levels at byte {_baseOffset + _tokenStart} ({tag}); the file is corrupt or hostile.", tag, _tokenStart);
        int limit = end >= 0 ? end : _stack[_depth - 1].Limit;
        _stack[_depth] = new Container
        {
            Kind = kind, Tag = tag, Start = _tokenStart, End = end, Limit = limit, Explicit = explicitVr, Little = little,
        };
        _depth++;
    }

    private void Pop() => _depth--;

    private bool End()
    {
        _done = true;
        _tokenType = DicomTokenType.None;
        return false;
    }

    private bool NeedMore(long requiredEnd)
    {
        if (!_partial || requiredEnd <= _data.Length) return false;
        NeedsMoreData = true;
        return true;
    }

    private readonly ushort ReadU16(int offset, bool little)
    {
        ushort v = Unsafe.ReadUnaligned<ushort>(ref Unsafe.AsRef(in _data[offset]));
        return little == BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v);
    }

    private readonly uint ReadU32(int offset, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(_data.Slice(offset, 4)) : BinaryPrimitives.ReadUInt32BigEndian(_data.Slice(offset, 4));

    private static bool IsUpperLetter(byte b) => b is >= (byte)'A' and <= (byte)'Z';

    private static string Describe(in Container c) => c.Kind switch
    {
        ContainerKind.Sequence => $"sequence {c.Tag}",
        ContainerKind.Item => $"an item of sequence {c.Tag}",
        ContainerKind.Fragments => "encapsulated pixel data",
        _ => "the data set",
    };

    private readonly DicomException Error(string message, DicomTag? tag, int position) =>
        new(message, _filePath, tag, _baseOffset + position);

    private enum ContainerKind : byte
    {
        Root,
        Sequence,
        Item,
        Fragments,
    }

    private struct Container
    {
        public ContainerKind Kind;
        public DicomTag Tag;
        public int Start;
        public int End;
        public int Limit;
        public bool Explicit;
        public bool Little;
    }

    [InlineArray(StackCapacity)]
    private struct ContainerStack
    {
        private Container _element0;
    }
}
