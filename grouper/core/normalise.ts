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
  let s = raw.replace(/\s+/g, "").toUpperCase().replace(/\./g, "");
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 88 /* X */) end--;
  if (end !== s.length) s = s.slice(0, end);
  return s;
}
