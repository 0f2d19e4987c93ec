// Function-pointer table for the OpenGL 3.3 core subset the viewer uses (generated list, hand-checked signatures).
namespace ImageGuide.Viewer.Native;

/// <summary>
/// OpenGL 3.3 core functions loaded through a context's <c>GetProcAddress</c> (EGL or GLFW) into unmanaged
/// function pointers. One instance per context; use it only on the thread where that context is current.
/// </summary>
internal sealed unsafe partial class Gl
{
    private readonly delegate* unmanaged<uint> _getError;
    private readonly delegate* unmanaged<uint, byte*> _getString;
    private readonly delegate* unmanaged<uint, int*, void> _getIntegerv;
    private readonly delegate* unmanaged<int, int, int, int, void> _viewport;
    private readonly delegate* unmanaged<int, int, int, int, void> _scissor;
    private readonly delegate* unmanaged<float, float, float, float, void> _clearColor;
    private readonly delegate* unmanaged<uint, void> _clear;
    private readonly delegate* unmanaged<uint, void> _enable;
    private readonly delegate* unmanaged<uint, void> _disable;
    private readonly delegate* unmanaged<void> _finish;
    private readonly delegate* unmanaged<uint, int, void> _pixelStorei;
    private readonly delegate* unmanaged<int, uint*, void> _genTextures;
    private readonly delegate* unmanaged<int, uint*, void> _deleteTextures;
    private readonly delegate* unmanaged<uint, uint, void> _bindTexture;
    private readonly delegate* unmanaged<uint, void> _activeTexture;
    private readonly delegate* unmanaged<uint, uint, int, void> _texParameteri;
    private readonly delegate* unmanaged<uint, int, int, int, int, int, uint, uint, void*, void> _texImage2D;
    private readonly delegate* unmanaged<uint, int, int, int, int, int, int, uint, uint, void*, void> _texImage3D;
    private readonly delegate* unmanaged<uint, int, int, int, int, int, int, int, uint, uint, void*, void> _texSubImage3D;
    private readonly delegate* unmanaged<int, uint*, void> _genFramebuffers;
    private readonly delegate* unmanaged<int, uint*, void> _deleteFramebuffers;
    private readonly delegate* unmanaged<uint, uint, void> _bindFramebuffer;
    private readonly delegate* unmanaged<uint, uint, uint, uint, void> _framebufferRenderbuffer;
    private readonly delegate* unmanaged<uint, uint> _checkFramebufferStatus;
    private readonly delegate* unmanaged<int, int, int, int, int, int, int, int, uint, uint, void> _blitFramebuffer;
    private readonly delegate* unmanaged<int, uint*, void> _genRenderbuffers;
    private readonly delegate* unmanaged<int, uint*, void> _deleteRenderbuffers;
    private readonly delegate* unmanaged<uint, uint, void> _bindRenderbuffer;
    private readonly delegate* unmanaged<uint, uint, int, int, void> _renderbufferStorage;
    private readonly delegate* unmanaged<int, int, int, int, uint, uint, void*, void> _readPixels;
    private readonly delegate* unmanaged<uint, uint> _createShader;
    private readonly delegate* unmanaged<uint, int, byte**, int*, void> _shaderSource;
    private readonly delegate* unmanaged<uint, void> _compileShader;
    private readonly delegate* unmanaged<uint, uint, int*, void> _getShaderiv;
    private readonly delegate* unmanaged<uint, int, int*, byte*, void> _getShaderInfoLog;
    private readonly delegate* unmanaged<uint, void> _deleteShader;
    private readonly delegate* unmanaged<uint> _createProgram;
    private readonly delegate* unmanaged<uint, uint, void> _attachShader;
    private readonly delegate* unmanaged<uint, void> _linkProgram;
    private readonly delegate* unmanaged<uint, uint, int*, void> _getProgramiv;
    private readonly delegate* unmanaged<uint, int, int*, byte*, void> _getProgramInfoLog;
    private readonly delegate* unmanaged<uint, void> _deleteProgram;
    private readonly delegate* unmanaged<uint, void> _useProgram;
    private readonly delegate* unmanaged<uint, byte*, int> _getUniformLocation;
    private readonly delegate* unmanaged<int, int, void> _uniform1i;
    private readonly delegate* unmanaged<int, float, void> _uniform1f;
    private readonly delegate* unmanaged<int, float, float, void> _uniform2f;
    private readonly delegate* unmanaged<int, float, float, float, void> _uniform3f;
    private readonly delegate* unmanaged<int, float, float, float, float, void> _uniform4f;
    private readonly delegate* unmanaged<int, int, byte, float*, void> _uniformMatrix4fv;
    private readonly delegate* unmanaged<int, uint*, void> _genVertexArrays;
    private readonly delegate* unmanaged<int, uint*, void> _deleteVertexArrays;
    private readonly delegate* unmanaged<uint, void> _bindVertexArray;
    private readonly delegate* unmanaged<int, uint*, void> _genBuffers;
    private readonly delegate* unmanaged<int, uint*, void> _deleteBuffers;
    private readonly delegate* unmanaged<uint, uint, void> _bindBuffer;
    private readonly delegate* unmanaged<uint, nint, void*, uint, void> _bufferData;
    private readonly delegate* unmanaged<uint, int, uint, byte, int, void*, void> _vertexAttribPointer;
    private readonly delegate* unmanaged<uint, void> _enableVertexAttribArray;
    private readonly delegate* unmanaged<uint, int, int, void> _drawArrays;

    /// <summary>Loads every function; throws when one is missing (the context is not GL 3.3 core).</summary>
    public Gl(Func<string, nint> getProcAddress)
    {
        _getError = (delegate* unmanaged<uint>)Load(getProcAddress, "glGetError");
        _getString = (delegate* unmanaged<uint, byte*>)Load(getProcAddress, "glGetString");
        _getIntegerv = (delegate* unmanaged<uint, int*, void>)Load(getProcAddress, "glGetIntegerv");
        _viewport = (delegate* unmanaged<int, int, int, int, void>)Load(getProcAddress, "glViewport");
        _scissor = (delegate* unmanaged<int, int, int, int, void>)Load(getProcAddress, "glScissor");
        _clearColor = (delegate* unmanaged<float, float, float, float, void>)Load(getProcAddress, "glClearColor");
        _clear = (delegate* unmanaged<uint, void>)Load(getProcAddress, "glClear");
        _enable = (delegate* unmanaged<uint, void>)Load(getProcAddress, "glEnable");
        _disable = (delegate* unmanaged<uint, void>)Load(getProcAddress, "glDisable");
        _finish = (delegate* unmanaged<void>)Load(getProcAddress, "glFinish");
        _pixelStorei = (delegate* unmanaged<uint, int, void>)Load(getProcAddress, "glPixelStorei");
        _genTextures = (delegate* unmanaged<int, uint*, void>)Load(getProcAddress, "glGenTextures");
        _deleteTextures = (delegate* unmanaged<int, uint*, void>)Load(getProcAddress, "glDeleteTextures");
        _bindTexture = (delegate* unmanaged<uint, uint, void>)Load(getProcAddress, "glBindTexture");
        _activeTexture = (delegate* unmanaged<uint, void>)Load(getProcAddress, "glActiveTexture");
        _texParameteri = (delegate* unmanaged<uint, uint, int, void>)Load(getProcAddress, "glTexParameteri");
        _texImage2D = (delegate* unmanaged<uint, int, int, int, int, int, uint, uint, void*, void>)Load(getProcAddress, "glTexImage2D");
        _texImage3D = (delegate* unmanaged<uint, int, int, int, int, int, int, uint, uint, void*, void>)Load(getProcAddress, "glTexImage3D");
        _texSubImage3D = (delegate* unmanaged<uint, int, int, int, int, int, int, int, uint, uint, void*, void>)Load(getProcAddress, "glTexSubImage3D");
        _genFramebuffers = (delegate* unmanaged<int, uint*, void>)Load(getProcAddress, "glGenFramebuffers");
        _deleteFramebuffers = (delegate* unmanaged<int, uint*, void>)Load(getProcAddress, "glDeleteFramebuffers");
        _bindFramebuffer = (delegate* unmanaged<uint, uint, void>)Load(getProcAddress, "glBindFramebuffer");
        _framebufferRenderbuffer = (delegate* unmanaged<uint, uint, uint, uint, void>)Load(getProcAddress, "glFramebufferRenderbuffer");
        _checkFramebufferStatus = (delegate* unmanaged<uint, uint>)Load(getProcAddress, "glCheckFramebufferStatus");
        _blitFramebuffer = (delegate* unmanaged<int, int, int, int, int, int, int, int, uint, uint, void>)Load(getProcAddress, "glBlitFramebuffer");
        _genRenderbuffers = (delegate* unmanaged<int, uint*, void>)Load(getProcAddress, "glGenRenderbuffers");
        _deleteRenderbuffers = (delegate* unmanaged<int, uint*, void>)Load(getProcAddress, "glDeleteRenderbuffers");
        _bindRenderbuffer = (delegate* unmanaged<uint, uint, void>)Load(getProcAddress, "glBindRenderbuffer");
        _renderbufferStorage = (delegate* unmanaged<uint, uint, int, int, void>)Load(getProcAddress, "glRenderbufferStorage");
        _readPixels = (delegate* unmanaged<int, int, int, int, uint, uint, void*, void>)Load(getProcAddress, "glReadPixels");
        _createShader = (delegate* unmanaged<uint, uint>)Load(getProcAddress, "glCreateShader");
        _shaderSource = (delegate* unmanaged<uint, int, byte**, int*, void>)Load(getProcAddress, "glShaderSource");
        _compileShader = (delegate* unmanaged<uint, void>)Load(getProcAddress, "glCompileShader");
        _getShaderiv = (delegate* unmanaged<uint, uint, int*, void>)Load(getProcAddress, "glGetShaderiv");
        _getShaderInfoLog = (delegate* unmanaged<uint, int, int*, byte*, void>)Load(getProcAddress, "glGetShaderInfoLog");
        _deleteShader = (delegate* unmanaged<uint, void>)Load(getProcAddress, "glDeleteShader");
        _createProgram = (delegate* unmanaged<uint>)Load(getProcAddress, "glCreateProgram");
        _attachShader = (delegate* unmanaged<uint, uint, void>)Load(getProcAddress, "glAttachShader");
        _linkProgram = (delegate* unmanaged<uint, void>)Load(getProcAddress, "glLinkProgram");
        _getProgramiv = (delegate* unmanaged<uint, uint, int*, void>)Load(getProcAddress, "glGetProgramiv");
        _getProgramInfoLog = (delegate* unmanaged<uint, int, int*, byte*, void>)Load(getProcAddress, "glGetProgramInfoLog");
        _deleteProgram = (delegate* unmanaged<uint, void>)Load(getProcAddress, "glDeleteProgram");
        _useProgram = (delegate* unmanaged<uint, void>)Load(getProcAddress, "glUseProgram");
        _getUniformLocation = (delegate* unmanaged<uint, byte*, int>)Load(getProcAddress, "glGetUniformLocation");
        _uniform1i = (delegate* unmanaged<int, int, void>)Load(getProcAddress, "glUniform1i");
        _uniform1f = (delegate* unmanaged<int, float, void>)Load(getProcAddress, "glUniform1f");
        _uniform2f = (delegate* unmanaged<int, float, float, void>)Load(getProcAddress, "glUniform2f");
        _uniform3f = (delegate* unmanaged<int, float, float, float, void>)Load(getProcAddress, "glUniform3f");
        _uniform4f = (delegate* unmanaged<int, float, float, float, float, void>)Load(getProcAddress, "glUniform4f");
        _uniformMatrix4fv = (delegate* unmanaged<int, int, byte, float*, void>)Load(getProcAddress, "glUniformMatrix4fv");
        _genVertexArrays = (delegate* unmanaged<int, uint*, void>)Load(getProcAddress, "glGenVertexArrays");
        _deleteVertexArrays = (delegate* unmanaged<int, uint*, void>)Load(getProcAddress, "glDeleteVertexArrays");
        _bindVertexArray = (delegate* unmanaged<uint, void>)Load(getProcAddress, "glBindVertexArray");
        _genBuffers = (delegate* unmanaged<int, uint*, void>)Load(getProcAddress, "glGenBuffers");
        _deleteBuffers = (delegate* unmanaged<int, uint*, void>)Load(getProcAddress, "glDeleteBuffers");
        _bindBuffer = (delegate* unmanaged<uint, uint, void>)Load(getProcAddress, "glBindBuffer");
        _bufferData = (delegate* unmanaged<uint, nint, void*, uint, void>)Load(getProcAddress, "glBufferData");
        _vertexAttribPointer = (delegate* unmanaged<uint, int, uint, byte, int, void*, void>)Load(getProcAddress, "glVertexAttribPointer");
        _enableVertexAttribArray = (delegate* unmanaged<uint, void>)Load(getProcAddress, "glEnableVertexAttribArray");
        _drawArrays = (delegate* unmanaged<uint, int, int, void>)Load(getProcAddress, "glDrawArrays");
    }

    public uint GetError() => _getError();
    public byte* GetString(uint name) => _getString(name);
    public void GetIntegerv(uint pname, int* data) => _getIntegerv(pname, data);
    public void Viewport(int x, int y, int width, int height) => _viewport(x, y, width, height);
    public void Scissor(int x, int y, int width, int height) => _scissor(x, y, width, height);
    public void ClearColor(float r, float g, float b, float a) => _clearColor(r, g, b, a);
    public void Clear(uint mask) => _clear(mask);
    public void Enable(uint cap) => _enable(cap);
    public void Disable(uint cap) => _disable(cap);
    public void Finish() => _finish();
    public void PixelStorei(uint pname, int param) => _pixelStorei(pname, param);
    public void GenTextures(int n, uint* textures) => _genTextures(n, textures);
    public void DeleteTextures(int n, uint* textures) => _deleteTextures(n, textures);
    public void BindTexture(uint target, uint texture) => _bindTexture(target, texture);
    public void ActiveTexture(uint texture) => _activeTexture(texture);
    public void TexParameteri(uint target, uint pname, int param) => _texParameteri(target, pname, param);
    public void TexImage2D(uint target, int level, int internalFormat, int width, int height, int border, uint format, uint type, void* pixels) => _texImage2D(target, level, internalFormat, width, height, border, format, type, pixels);
    public void TexImage3D(uint target, int level, int internalFormat, int width, int height, int depth, int border, uint format, uint type, void* pixels) => _texImage3D(target, level, internalFormat, width, height, depth, border, format, type, pixels);
    public void TexSubImage3D(uint target, int level, int xoffset, int yoffset, int zoffset, int width, int height, int depth, uint format, uint type, void* pixels) => _texSubImage3D(target, level, xoffset, yoffset, zoffset, width, height, depth, format, type, pixels);
    public void GenFramebuffers(int n, uint* ids) => _genFramebuffers(n, ids);
    public void DeleteFramebuffers(int n, uint* ids) => _deleteFramebuffers(n, ids);
    public void BindFramebuffer(uint target, uint framebuffer) => _bindFramebuffer(target, framebuffer);
    public void FramebufferRenderbuffer(uint target, uint attachment, uint renderbufferTarget, uint renderbuffer) => _framebufferRenderbuffer(target, attachment, renderbufferTarget, renderbuffer);
    public uint CheckFramebufferStatus(uint target) => _checkFramebufferStatus(target);
    public void BlitFramebuffer(int srcX0, int srcY0, int srcX1, int srcY1, int dstX0, int dstY0, int dstX1, int dstY1, uint mask, uint filter) =>
        _blitFramebuffer(srcX0, srcY0, srcX1, srcY1, dstX0, dstY0, dstX1, dstY1, mask, filter);
    public void GenRenderbuffers(int n, uint* ids) => _genRenderbuffers(n, ids);
    public void DeleteRenderbuffers(int n, uint* ids) => _deleteRenderbuffers(n, ids);
    public void BindRenderbuffer(uint target, uint renderbuffer) => _bindRenderbuffer(target, renderbuffer);
    public void RenderbufferStorage(uint target, uint internalFormat, int width, int height) => _renderbufferStorage(target, internalFormat, width, height);
    public void ReadPixels(int x, int y, int width, int height, uint format, uint type, void* pixels) => _readPixels(x, y, width, height, format, type, pixels);
    public uint CreateShader(uint type) => _createShader(type);
    public void ShaderSource(uint shader, int count, byte** source, int* length) => _shaderSource(shader, count, source, length);
    public void CompileShader(uint shader) => _compileShader(shader);
    public void GetShaderiv(uint shader, uint pname, int* param) => _getShaderiv(shader, pname, param);
    public void GetShaderInfoLog(uint shader, int bufSize, int* length, byte* log) => _getShaderInfoLog(shader, bufSize, length, log);
    public void DeleteShader(uint shader) => _deleteShader(shader);
    public uint CreateProgram() => _createProgram();
    public void AttachShader(uint program, uint shader) => _attachShader(program, shader);
    public void LinkProgram(uint program) => _linkProgram(program);
    public void GetProgramiv(uint program, uint pname, int* param) => _getProgramiv(program, pname, param);
    public void GetProgramInfoLog(uint program, int bufSize, int* length, byte* log) => _getProgramInfoLog(program, bufSize, length, log);
    public void DeleteProgram(uint program) => _deleteProgram(program);
    public void UseProgram(uint program) => _useProgram(program);
    public int GetUniformLocation(uint program, byte* name) => _getUniformLocation(program, name);
    public void Uniform1i(int location, int v0) => _uniform1i(location, v0);
    public void Uniform1f(int location, float v0) => _uniform1f(location, v0);
    public void Uniform2f(int location, float v0, float v1) => _uniform2f(location, v0, v1);
    public void Uniform3f(int location, float v0, float v1, float v2) => _uniform3f(location, v0, v1, v2);
    public void Uniform4f(int location, float v0, float v1, float v2, float v3) => _uniform4f(location, v0, v1, v2, v3);
    public void UniformMatrix4fv(int location, int count, byte transpose, float* value) => _uniformMatrix4fv(location, count, transpose, value);
    public void GenVertexArrays(int n, uint* arrays) => _genVertexArrays(n, arrays);
    public void DeleteVertexArrays(int n, uint* arrays) => _deleteVertexArrays(n, arrays);
    public void BindVertexArray(uint array) => _bindVertexArray(array);
    public void GenBuffers(int n, uint* buffers) => _genBuffers(n, buffers);
    public void DeleteBuffers(int n, uint* buffers) => _deleteBuffers(n, buffers);
    public void BindBuffer(uint target, uint buffer) => _bindBuffer(target, buffer);
    public void BufferData(uint target, nint size, void* data, uint usage) => _bufferData(target, size, data, usage);
    public void VertexAttribPointer(uint index, int size, uint type, byte normalized, int stride, void* pointer) => _vertexAttribPointer(index, size, type, normalized, stride, pointer);
    public void EnableVertexAttribArray(uint index) => _enableVertexAttribArray(index);
    public void DrawArrays(uint mode, int first, int count) => _drawArrays(mode, first, count);

    private static nint Load(Func<string, nint> getProcAddress, string name)
    {
        nint p = getProcAddress(name);
        if (p == 0) throw new ViewerException($"OpenGL function {name} is not available; the viewer needs an OpenGL 3.3 core context.");
        return p;
    }
}
