using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace ImageGuide.Workflows.Validation;

/// <summary>
/// Walks a manifest file without loading it whole: each top-level member's value, and each element of the top-level
/// array named <c>arrayName</c>, comes out as its own small <see cref="JsonDocument"/>, read through a buffer that holds
/// only the current value (grown up to <see cref="MaxValueBytes"/> for one value). The bytes read are hashed on the way
/// (SHA-256). Comments and trailing commas are allowed, as in <see cref="ValidationManifestReader"/>.
/// </summary>
internal sealed class StreamedJsonCases : IDisposable
{
    /// <summary>The largest single value (one case, or one top-level member) accepted, bytes.</summary>
    public const int MaxValueBytes = 16 << 20;

    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private readonly Stream _stream;
    private readonly string _source;
    private readonly string _arrayName;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
    private int _start, _end;
    private bool _eof;
    private JsonReaderState _state = new(ReaderOptions);
    private Phase _phase = Phase.Start;
    private string? _name;
    private bool _bomChecked;

    private enum Phase { Start, Members, Value, Elements, Done }

    /// <summary>One value: a top-level member (<see cref="ElementIndex"/> −1) or an element of the array.</summary>
    /// <param name="Member">The top-level member's name.</param>
    /// <param name="ElementIndex">Position in the array, or −1 for a member's whole value.</param>
    /// <param name="Value">The parsed value (dispose it).</param>
    public readonly record struct Item(string Member, int ElementIndex, JsonDocument Value);

    /// <summary>Starts reading <paramref name="stream"/>.</summary>
    public StreamedJsonCases(Stream stream, string source, string arrayName)
    {
        _stream = stream;
        _source = source;
        _arrayName = arrayName;
    }

    /// <summary>SHA-256 (lower-case hex) of every byte read; complete once <see cref="Next"/> has returned false.</summary>
    public string Sha256() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    private int _elementIndex;

    /// <summary>True once the array member has been met (even when empty).</summary>
    public bool SawArray { get; private set; }

    /// <summary>The next value, or false at the end of the document.</summary>
    /// <exception cref="ValidationException">Not valid JSON, not an object at the top, or a value larger than <see cref="MaxValueBytes"/>.</exception>
    public bool Next(out Item item)
    {
        while (true)
        {
            var step = TryStep(out item);
            if (step == Step.Item) return true;
            if (step == Step.End) return false;
            if (step == Step.Continue) continue;
            if (_eof) throw new ValidationException($"{_source}: not valid JSON (the file ends inside a value).");
            Fill();
        }
    }

    private enum Step { Item, Continue, NeedMore, End }

    private Step TryStep(out Item item)
    {
        item = default;
        if (_phase == Phase.Done) return Step.End;
        if (_phase == Phase.Start && !_bomChecked)
        {
            // a UTF-8 byte order mark (editors on Windows write one) is not JSON: step over it, as InputFile does
            if (_end - _start < 3 && !_eof) return Step.NeedMore;
            if (_end - _start >= 3 && _buffer[_start] == 0xEF && _buffer[_start + 1] == 0xBB && _buffer[_start + 2] == 0xBF) _start += 3;
            _bomChecked = true;
        }
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
        try
        {
            switch (_phase)
            {
                case Phase.Start:
                    if (!reader.Read()) return _eof ? throw new ValidationException($"{_source}: the file is empty; a manifest is a JSON object with a 'cases' array.") : Step.NeedMore;
                    if (reader.TokenType != JsonTokenType.StartObject)
                        throw new ValidationException($"{_source}: the manifest must be a JSON object with a 'cases' array.");
                    Commit(ref reader, Phase.Members);
                    return Step.Continue;
                case Phase.Members:
                    if (!reader.Read()) return Step.NeedMore;
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        Commit(ref reader, Phase.Done);
                        // anything but whitespace after the object is an error
                        while (!_eof) Fill();
                        var rest = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), true, _state);
                        if (rest.Read()) throw new ValidationException($"{_source}: not valid JSON (text after the closing brace).");
                        return Step.End;
                    }
                    _name = reader.GetString()!;
                    Commit(ref reader, Phase.Value);
                    return Step.Continue;
                case Phase.Value:
                {
                    if (!reader.Read()) return Step.NeedMore;
                    if (_name == _arrayName && reader.TokenType == JsonTokenType.StartArray)
                    {
                        _elementIndex = 0;
                        SawArray = true;
                        Commit(ref reader, Phase.Elements);
                        return Step.Continue;
                    }
                    if (!TryValue(ref reader, out var doc)) return Step.NeedMore;
                    item = new Item(_name!, -1, doc);
                    Commit(ref reader, Phase.Members);
                    return Step.Item;
                }
                case Phase.Elements:
                {
                    if (!reader.Read()) return Step.NeedMore;
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        Commit(ref reader, Phase.Members);
                        return Step.Continue;
                    }
                    if (!TryValue(ref reader, out var doc)) return Step.NeedMore;
                    item = new Item(_name!, _elementIndex++, doc);
                    Commit(ref reader, Phase.Elements);
                    return Step.Item;
                }
                default:
                    return Step.End;
            }
        }
        catch (JsonException e)
        {
            throw new ValidationException($"{_source}: not valid JSON ({e.Message}).", e);
        }
    }

    /// <summary>The value whose first token the reader is on, parsed; false when its end is not in the buffer yet.</summary>
    private bool TryValue(ref Utf8JsonReader reader, out JsonDocument doc)
    {
        doc = null!;
        int begin = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip()) return false;
        var slice = _buffer.AsMemory(_start + begin, (int)reader.BytesConsumed - begin);
        doc = JsonDocument.Parse(slice, DocumentOptions);
        return true;
    }

    private void Commit(ref Utf8JsonReader reader, Phase next)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
        _phase = next;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxValueBytes)
                throw new ValidationException($"{_source}: one value is larger than {MaxValueBytes >> 20} MB; a case is a few hundred bytes — is the file a manifest?");
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0) _eof = true;
        else
        {
            _hash.AppendData(_buffer, _end, n);
            _end += n;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _hash.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
