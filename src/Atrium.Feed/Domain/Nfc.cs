using System.Runtime.InteropServices;
using System.Text;

namespace Atrium.Feed.Domain;

/// <summary>
/// Unicode NFC. Atrium runs with invariant globalization (no culture data), where <see cref="string.Normalize()"/>
/// returns its input unchanged; so the feed asks ICU's normalizer (<c>unorm2_normalize</c>) directly, from the
/// ICU the operating system ships (libicuuc on Linux, where its symbols carry the version, libicucore on macOS,
/// icu.dll on Windows). ASCII text, nearly every post, never leaves managed code. Without ICU on the machine it
/// falls back to <see cref="string.Normalize()"/>, which normalises whenever globalization is not invariant.
/// </summary>
internal static unsafe class Nfc
{
    private const int BufferOverflow = 15; // U_BUFFER_OVERFLOW_ERROR
    private static readonly Icu? Api = Icu.Load();

    /// <summary>True when ICU was found, so <see cref="Normalize"/> is real NFC whatever the globalization mode.</summary>
    public static bool UsesIcu => Api is not null;

    public static string Normalize(string text)
    {
        if (Ascii.IsValid(text))
        {
            return text;
        }

        if (Api is not { } icu)
        {
            return text.Normalize(NormalizationForm.FormC);
        }

        var capacity = text.Length + 16;
        while (true)
        {
            var buffer = new char[capacity];
            var error = 0;
            int length;
            fixed (char* source = text)
            fixed (char* destination = buffer)
            {
                length = icu.Normalize(icu.Nfc, source, text.Length, destination, capacity, &error);
            }

            if (error == BufferOverflow)
            {
                capacity = length + 1;
                continue;
            }

            if (error > 0)
            {
                throw new ArgumentException($"The text cannot be normalised (ICU error {error}).", nameof(text));
            }

            return new string(buffer, 0, length);
        }
    }

    private sealed class Icu(nint nfc, delegate* unmanaged[Cdecl]<nint, char*, int, char*, int, int*, int> normalize)
    {
        public nint Nfc { get; } = nfc;

        public delegate* unmanaged[Cdecl]<nint, char*, int, char*, int, int*, int> Normalize { get; } = normalize;

        public static Icu? Load()
        {
            foreach (var (library, suffix) in Candidates())
            {
                if (!NativeLibrary.TryLoad(library, out var handle))
                {
                    continue;
                }

                if (NativeLibrary.TryGetExport(handle, "unorm2_getNFCInstance" + suffix, out var getNfc)
                    && NativeLibrary.TryGetExport(handle, "unorm2_normalize" + suffix, out var normalize))
                {
                    var error = 0;
                    var instance = ((delegate* unmanaged[Cdecl]<int*, nint>)getNfc)(&error);
                    if (error <= 0 && instance != 0)
                    {
                        return new Icu(instance, (delegate* unmanaged[Cdecl]<nint, char*, int, char*, int, int*, int>)normalize);
                    }
                }

                NativeLibrary.Free(handle);
            }

            return null;
        }

        private static IEnumerable<(string Library, string Suffix)> Candidates()
        {
            if (OperatingSystem.IsWindows())
            {
                yield return ("icu.dll", "");
                yield break;
            }

            if (OperatingSystem.IsMacOS())
            {
                yield return ("libicucore.dylib", "");
                yield break;
            }

            for (var version = 99; version >= 50; version--)
            {
                yield return ($"libicuuc.so.{version}", $"_{version}");
            }

            yield return ("libicuuc.so", "");
        }
    }
}
