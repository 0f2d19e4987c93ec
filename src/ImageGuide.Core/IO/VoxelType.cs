using System.Runtime.CompilerServices;

namespace ImageGuide.IO;

/// <summary>The scalar voxel types ImageGuide reads from and writes to image files.</summary>
public enum VoxelType
{
    /// <summary>Unsigned 8-bit integer (<see cref="byte"/>).</summary>
    UInt8,
    /// <summary>Signed 8-bit integer (<see cref="sbyte"/>).</summary>
    Int8,
    /// <summary>Signed 16-bit integer (<see cref="short"/>).</summary>
    Int16,
    /// <summary>Unsigned 16-bit integer (<see cref="ushort"/>).</summary>
    UInt16,
    /// <summary>Signed 32-bit integer (<see cref="int"/>).</summary>
    Int32,
    /// <summary>Unsigned 32-bit integer (<see cref="uint"/>).</summary>
    UInt32,
    /// <summary>32-bit IEEE float (<see cref="float"/>).</summary>
    Float32,
    /// <summary>64-bit IEEE float (<see cref="double"/>).</summary>
    Float64,
}

/// <summary>Helpers relating <see cref="VoxelType"/> to .NET types.</summary>
public static class VoxelTypes
{
    /// <summary>Bytes per voxel.</summary>
    public static int SizeOf(this VoxelType type) => type switch
    {
        VoxelType.UInt8 or VoxelType.Int8 => 1,
        VoxelType.Int16 or VoxelType.UInt16 => 2,
        VoxelType.Int32 or VoxelType.UInt32 or VoxelType.Float32 => 4,
        VoxelType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown voxel type."),
    };

    /// <summary>True when a voxel type <typeparamref name="T"/> maps to a <see cref="VoxelType"/>.</summary>
    public static bool TryOf<T>(out VoxelType type) where T : unmanaged
    {
        type = default;
        if (typeof(T) == typeof(byte)) type = VoxelType.UInt8;
        else if (typeof(T) == typeof(sbyte)) type = VoxelType.Int8;
        else if (typeof(T) == typeof(short)) type = VoxelType.Int16;
        else if (typeof(T) == typeof(ushort)) type = VoxelType.UInt16;
        else if (typeof(T) == typeof(int)) type = VoxelType.Int32;
        else if (typeof(T) == typeof(uint)) type = VoxelType.UInt32;
        else if (typeof(T) == typeof(float)) type = VoxelType.Float32;
        else if (typeof(T) == typeof(double)) type = VoxelType.Float64;
        else return false;
        return true;
    }

    /// <summary>The <see cref="VoxelType"/> of <typeparamref name="T"/>.</summary>
    /// <exception cref="UnsupportedFormatException">T is not one of the eight supported scalar types.</exception>
    public static VoxelType Of<T>() where T : unmanaged =>
        TryOf<T>(out var type)
            ? type
            : throw new UnsupportedFormatException(
                $"Voxel type {typeof(T).Name} cannot be written to an image file; use byte, sbyte, short, ushort, int, uint, float or double.");

    internal static int SizeOf<T>() where T : unmanaged => Unsafe.SizeOf<T>();
}
