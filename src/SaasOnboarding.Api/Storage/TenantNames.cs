using System.Collections.Frozen;
using System.Text;

namespace SaasOnboarding.Api.Storage;

/// <summary>
/// The form of a tenant name that uniqueness is decided on, used by every catalog for the stored name key, for
/// registration, renames and the name filter of listings: Unicode NFKC (so that compatibility forms such as
/// full-width letters or ligatures become the letters they stand for), then case-folded (upper case, then lower
/// case, so that for example final ς meets σ; the Turkish ı and İ fold to i), then trimmed with inner runs of
/// spaces folded to one.
/// </summary>
/// <remarks>
/// The app runs with invariant globalization, where <see cref="string.Normalize(NormalizationForm)"/> answers
/// non-ASCII text unchanged. NFKC is therefore applied here: each character becomes its own NFKC form
/// (<see cref="TenantNameCompatibility"/>), then Hangul jamo are composed. For the characters a tenant name may
/// hold (letters, decimal digits, space and <c>- _ . ' &amp;</c>, no combining marks) that is the NFKC form of the
/// whole name.
/// </remarks>
public static class TenantNames
{
    private static readonly FrozenDictionary<char, string> Compatibility = ReadTable(TenantNameCompatibility.Table);

    /// <summary>
    /// A purged tenant's name key is its key, this separator and its id: the name is free for a new tenant (no
    /// normalized name holds a control character), and the tombstone still sorts by its name.
    /// </summary>
    public const string TombstoneSeparator = "\u001f";

    public static string Normalize(string tenantName)
    {
        // Invariant casing leaves the Turkish dotless ı and dotted İ as they are; both fold to i here.
        var folded = Nfkc(Nfkc(tenantName).ToUpperInvariant().ToLowerInvariant()).Replace('\u0131', 'i').Replace('\u0130', 'i');
        var builder = new StringBuilder(folded.Length);
        foreach (var part in folded.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(part);
        }

        return builder.ToString();
    }

    /// <summary>
    /// True when the name, in NFKC form, has letters of more than one of the Latin, Greek and Cyrillic scripts, whose
    /// look-alike letters (Latin A, Greek Α, Cyrillic А) would let two names that read the same both be registered.
    /// </summary>
    public static bool MixesScripts(string tenantName)
    {
        var seen = Script.None;
        foreach (var c in Nfkc(tenantName))
        {
            seen |= ScriptOf(c);
        }

        return seen is not (Script.None or Script.Latin or Script.Greek or Script.Cyrillic);
    }

    /// <summary>NFKC for the characters a tenant name may hold (see the remarks on the class).</summary>
    public static string Nfkc(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (Compatibility.TryGetValue(c, out var form))
            {
                foreach (var part in form)
                {
                    AppendComposed(builder, part);
                }
            }
            else
            {
                AppendComposed(builder, c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Appends <paramref name="c"/>, composing a leading and a vowel jamo, or an LV syllable and a trailing jamo (Unicode §3.12).</summary>
    private static void AppendComposed(StringBuilder builder, char c)
    {
        const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7, LCount = 19, VCount = 21, TCount = 28, SCount = 11172;
        if (builder.Length > 0)
        {
            int last = builder[^1];
            if (last is >= LBase and < LBase + LCount && c is >= (char)VBase and < (char)(VBase + VCount))
            {
                builder[^1] = (char)(SBase + ((((last - LBase) * VCount) + (c - VBase)) * TCount));
                return;
            }

            if (last is >= SBase and < SBase + SCount && (last - SBase) % TCount == 0 && c is > (char)TBase and < (char)(TBase + TCount))
            {
                builder[^1] = (char)(last + (c - TBase));
                return;
            }
        }

        builder.Append(c);
    }

    private static FrozenDictionary<char, string> ReadTable(string table)
    {
        var entries = new Dictionary<char, string>();
        for (var index = 0; index < table.Length; index += 2 + table[index + 1])
        {
            entries[table[index]] = table.Substring(index + 2, table[index + 1]);
        }

        return entries.ToFrozenDictionary();
    }

    [Flags]
    private enum Script
    {
        None = 0,
        Latin = 1,
        Greek = 2,
        Cyrillic = 4,
    }

    private static Script ScriptOf(char c)
    {
        if (!char.IsLetter(c))
        {
            return Script.None;
        }

        return c switch
        {
            <= '\u024F' => Script.Latin, // Basic Latin, Latin-1 Supplement, Latin Extended-A and -B
            >= '\u0250' and <= '\u02AF' => Script.Latin, // IPA Extensions
            >= '\u1D00' and <= '\u1DBF' => Script.Latin, // Phonetic Extensions (and their supplement)
            >= '\u1E00' and <= '\u1EFF' => Script.Latin, // Latin Extended Additional
            >= '\u2C60' and <= '\u2C7F' => Script.Latin, // Latin Extended-C
            >= '\uA720' and <= '\uA7FF' => Script.Latin, // Latin Extended-D
            >= '\uAB30' and <= '\uAB6F' => Script.Latin, // Latin Extended-E
            >= '\u0370' and <= '\u03FF' => Script.Greek, // Greek and Coptic
            >= '\u1F00' and <= '\u1FFF' => Script.Greek, // Greek Extended
            >= '\u0400' and <= '\u052F' => Script.Cyrillic, // Cyrillic and its supplement
            >= '\u1C80' and <= '\u1C8F' => Script.Cyrillic, // Cyrillic Extended-C
            >= '\u2DE0' and <= '\u2DFF' => Script.Cyrillic, // Cyrillic Extended-A
            >= '\uA640' and <= '\uA69F' => Script.Cyrillic, // Cyrillic Extended-B
            _ => Script.None,
        };
    }
}
