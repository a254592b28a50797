using System.Runtime.InteropServices;
using System.Text;

namespace Baton.Agents.Processes;

/// <summary>
/// A NULL-terminated char*[] (argv, envp) in one native allocation: the pointer table first, then
/// the NUL-terminated UTF-8 strings it points at.
/// </summary>
internal sealed unsafe class NativeStringArray : IDisposable
{
    private readonly void* _block;

    public NativeStringArray(IReadOnlyList<string> items, string what)
    {
        nuint tableBytes = (nuint)(items.Count + 1) * (nuint)sizeof(byte*);
        nuint total = tableBytes;
        foreach (var item in items)
        {
            if (item.Contains('\0'))
            {
                throw new ArgumentException($"{what} contains a NUL character: '{item.Replace("\0", "\\0")}'");
            }

            total += (nuint)Encoding.UTF8.GetByteCount(item) + 1;
        }

        _block = NativeMemory.Alloc(total);
        var table = (byte**)_block;
        var cursor = (byte*)_block + tableBytes;
        var end = (byte*)_block + total;
        for (int i = 0; i < items.Count; i++)
        {
            table[i] = cursor;
            int written = Encoding.UTF8.GetBytes(items[i], new Span<byte>(cursor, (int)(end - cursor)));
            cursor[written] = 0;
            cursor += written + 1;
        }

        table[items.Count] = null;
    }

    public byte** Pointer => (byte**)_block;

    public void Dispose() => NativeMemory.Free(_block);
}
