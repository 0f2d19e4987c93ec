using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Segmentation.Spine;

/// <summary>What <see cref="VertebraFinder.Find"/> found.</summary>
/// <param name="Labels">
/// On the CT's grid: one value per vertebra (body and posterior elements) in TotalSegmentator's numbering (25 sacrum,
/// 27 L5 … 31 L1, 32 T12 … 43 T1, 44 C7 … 50 C1, see <see cref="VertebraLevel.TotalSegmentatorName"/>), 0 elsewhere.
/// </param>
/// <param name="Levels">The levels labelled, cranial first.</param>
/// <param name="NamingReason">How the levels were named: from the anchor given, or which guess (sacrum, last rib) was made.</param>
/// <param name="Warnings">Doubts worth showing: partial vertebrae at the edges of the field of view, a weak naming guess, unusual spacing.</param>
public sealed record FoundVertebrae(Volume<byte> Labels, IReadOnlyList<VertebraLevel> Levels, string NamingReason, IReadOnlyList<string> Warnings);
