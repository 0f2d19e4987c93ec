using Silk.NET.OpenGL;

namespace ImageGuide.Viewer.Rendering;

/// <summary>A linked vertex + fragment program with cached uniform locations.</summary>
internal sealed unsafe class ShaderProgram : IDisposable
{
    private readonly GL _gl;
    private readonly Dictionary<string, int> _locations = new(StringComparer.Ordinal);

    /// <summary>Compiles and links; throws with the driver's log on failure.</summary>
    public ShaderProgram(GL gl, string name, string vertexSource, string fragmentSource)
    {
        _gl = gl;
        uint vs = Compile(gl, name, ShaderType.VertexShader, vertexSource);
        uint fs = Compile(gl, name, ShaderType.FragmentShader, fragmentSource);
        Handle = gl.CreateProgram();
        gl.AttachShader(Handle, vs);
        gl.AttachShader(Handle, fs);
        gl.LinkProgram(Handle);
        gl.DeleteShader(vs);
        gl.DeleteShader(fs);
        gl.GetProgram(Handle, ProgramPropertyARB.LinkStatus, out int ok);
        if (ok == 0) throw new ViewerException($"Shader program '{name}' failed to link: {Log(gl.GetProgramInfoLog(Handle))}");
    }

    /// <summary>The GL program name.</summary>
    public uint Handle { get; }

    /// <summary>Makes this program current.</summary>
    public void Use() => _gl.UseProgram(Handle);

    /// <summary>Sets an int/sampler uniform (ignored when the shader optimised it away).</summary>
    public void Set(string name, int value) => _gl.Uniform1(Location(name), value);
    /// <summary>Sets a float uniform.</summary>
    public void Set(string name, float value) => _gl.Uniform1(Location(name), value);
    /// <summary>Sets a vec2 uniform.</summary>
    public void Set(string name, float x, float y) => _gl.Uniform2(Location(name), x, y);
    /// <summary>Sets a vec3 uniform.</summary>
    public void Set(string name, float x, float y, float z) => _gl.Uniform3(Location(name), x, y, z);
    /// <summary>Sets a vec4 uniform.</summary>
    public void Set(string name, float x, float y, float z, float w) => _gl.Uniform4(Location(name), x, y, z, w);

    /// <summary>Sets a mat4 uniform from a row-major 4×4 matrix.</summary>
    public void SetMatrix(string name, double[,] rowMajor)
    {
        float* m = stackalloc float[16];
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++)
                m[c * 4 + r] = (float)rowMajor[r, c]; // GL expects column-major
        _gl.UniformMatrix4(Location(name), 1, false, m);
    }

    private int Location(string name)
    {
        if (_locations.TryGetValue(name, out int loc)) return loc;
        loc = _gl.GetUniformLocation(Handle, name);
        _locations[name] = loc;
        return loc;
    }

    private static uint Compile(GL gl, string name, ShaderType type, string source)
    {
        uint shader = gl.CreateShader(type);
        gl.ShaderSource(shader, source);
        gl.CompileShader(shader);
        gl.GetShader(shader, ShaderParameterName.CompileStatus, out int ok);
        if (ok == 0)
        {
            string log = Log(gl.GetShaderInfoLog(shader));
            gl.DeleteShader(shader);
            throw new ViewerException($"{(type == ShaderType.VertexShader ? "Vertex" : "Fragment")} shader of '{name}' failed to compile: {log}");
        }
        return shader;
    }

    private static string Log(string log) => string.IsNullOrWhiteSpace(log) ? "(no log)" : log.TrimEnd('\0', '\n', ' ');

    /// <summary>Deletes the program.</summary>
    public void Dispose() => _gl.DeleteProgram(Handle);
}
