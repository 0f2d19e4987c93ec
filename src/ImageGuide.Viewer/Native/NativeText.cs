using System.Text;

namespace ImageGuide.Viewer.Native;

/// <summary>UTF-8 conversions for C strings.</summary>
internal static class NativeText
{
    /// <summary>The UTF-8 bytes of <paramref name="s"/> followed by a zero byte.</summary>
    public static byte[] ToNullTerminated(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
