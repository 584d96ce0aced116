/**
 * Text from a template (logical IDs, file names, messages) as a terminal may
 * show it: control characters (escape sequences, bells, carriage returns,
 * C1 controls, bidi overrides) become a visible `?`, so a template cannot
 * recolour, retitle or rewrite the user's terminal.
 */
export function terminalSafe(text: string): string {
  let out = "";
  for (const ch of String(text)) out += isControl(ch.codePointAt(0) ?? 0) ? "?" : ch;
  return out;
}

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}
