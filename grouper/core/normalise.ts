/**
 * Code normalisation, applied to every diagnosis and procedure code before a
 * table lookup (GROUPER.md "Input"). Coders and hospital systems spell the same
 * code differently: lower/upper case, with or without the dot, with a trailing
 * placeholder "x" ("I10.x" for "I10"), with stray spaces. The key drops all of
 * that; tables keep their own spelling for display.
 *
 * Rules, in order: trim; remove inner whitespace; upper-case; remove dots;
 * strip trailing "X" placeholders. Dagger/asterisk marks (+, *) are kept.
 */
export function codeKey(raw: string): string {
  // A char loop rather than regexes: the compiler and the loader key ~50k codes per national set.
  let out = "";
  let clean = true;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 46 /* . */ || c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x3000 || (c >= 97 && c <= 122)) {
      clean = false;
      break;
    }
  }
  if (clean) out = raw;
  else {
    for (let i = 0; i < raw.length; i++) {
      const ch = raw[i]!;
      if (ch === "." || /\s/.test(ch)) continue;
      out += ch;
    }
    out = out.toUpperCase();
  }
  let end = out.length;
  while (end > 0 && out.charCodeAt(end - 1) === 88 /* X */) end--;
  return end === out.length ? out : out.slice(0, end);
}
