using ImageGuide.Viewer.Native;

namespace ImageGuide.Viewer.Rendering;

/// <summary>A linked vertex + fragment program with cached uniform locations.</summary>
internal sealed unsafe class ShaderProgram : IDisposable
{
    private readonly Gl _gl;
    private readonly Dictionary<string, int> _locations = new(StringComparer.Ordinal);

    /// <summary>Compiles and links; throws with the driver's log on failure.</summary>
    public ShaderProgram(Gl gl, string name, string vertexSource, string fragmentSource)
    {
        _gl = gl;
        uint vs = Compile(gl, name, GlConst.VertexShader, vertexSource);
        uint fs = Compile(gl, name, GlConst.FragmentShader, fragmentSource);
        Handle = gl.CreateProgram();
        gl.AttachShader(Handle, vs);
        gl.AttachShader(Handle, fs);
        gl.LinkProgram(Handle);
        gl.DeleteShader(vs);
        gl.DeleteShader(fs);
        int ok;
        gl.GetProgramiv(Handle, GlConst.LinkStatus, &ok);
        if (ok == 0) throw new ViewerException($"Shader program '{name}' failed to link: {Log(gl, Handle, isProgram: true)}");
    }

    /// <summary>The GL program name.</summary>
    public uint Handle { get; }

    /// <summary>Makes this program current.</summary>
    public void Use() => _gl.UseProgram(Handle);

    /// <summary>Sets an int/sampler uniform (ignored when the shader optimised it away).</summary>
    public void Set(string name, int value) => _gl.Uniform1i(Location(name), value);
    /// <summary>Sets a float uniform.</summary>
    public void Set(string name, float value) => _gl.Uniform1f(Location(name), value);
    /// <summary>Sets a vec2 uniform.</summary>
    public void Set(string name, float x, float y) => _gl.Uniform2f(Location(name), x, y);
    /// <summary>Sets a vec3 uniform.</summary>
    public void Set(string name, float x, float y, float z) => _gl.Uniform3f(Location(name), x, y, z);
    /// <summary>Sets a vec4 uniform.</summary>
    public void Set(string name, float x, float y, float z, float w) => _gl.Uniform4f(Location(name), x, y, z, w);

    /// <summary>Sets a mat4 uniform from a row-major 4×4 matrix.</summary>
    public void SetMatrix(string name, double[,] rowMajor)
    {
        float* m = stackalloc float[16];
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++)
                m[c * 4 + r] = (float)rowMajor[r, c]; // GL expects column-major
        _gl.UniformMatrix4fv(Location(name), 1, 0, m);
    }

    private int Location(string name)
    {
        if (_locations.TryGetValue(name, out int loc)) return loc;
        var bytes = NativeText.ToNullTerminated(name);
        fixed (byte* p = bytes) loc = _gl.GetUniformLocation(Handle, p);
        _locations[name] = loc;
        return loc;
    }

    private static uint Compile(Gl gl, string name, uint type, string source)
    {
        uint shader = gl.CreateShader(type);
        var bytes = NativeText.ToNullTerminated(source);
        fixed (byte* p = bytes)
        {
            byte* ptr = p;
            gl.ShaderSource(shader, 1, &ptr, null);
        }
        gl.CompileShader(shader);
        int ok;
        gl.GetShaderiv(shader, GlConst.CompileStatus, &ok);
        if (ok == 0)
        {
            string log = Log(gl, shader, isProgram: false);
            gl.DeleteShader(shader);
            throw new ViewerException($"{(type == GlConst.VertexShader ? "Vertex" : "Fragment")} shader of '{name}' failed to compile: {log}");
        }
        return shader;
    }

    private static string Log(Gl gl, uint handle, bool isProgram)
    {
        int length;
        if (isProgram) gl.GetProgramiv(handle, GlConst.InfoLogLength, &length);
        else gl.GetShaderiv(handle, GlConst.InfoLogLength, &length);
        if (length <= 1) return "(no log)";
        var buffer = new byte[length];
        fixed (byte* b = buffer)
        {
            if (isProgram) gl.GetProgramInfoLog(handle, length, null, b);
            else gl.GetShaderInfoLog(handle, length, null, b);
        }
        return System.Text.Encoding.UTF8.GetString(buffer, 0, length - 1);
    }

    /// <summary>Deletes the program.</summary>
    public void Dispose() => _gl.DeleteProgram(Handle);
}
