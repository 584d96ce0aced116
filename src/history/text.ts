/**
 * Making untrusted text (template paths, refs, SHAs and labels read from a
 * history file) safe in the two places the trend shows it: markdown prose and
 * quoted strings inside a Mermaid xychart.
 */

/** Escapes markdown and HTML so that the text shows as written and cannot inject markup or links. */
export function markdownText(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]+/g, " ")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/[\\`*_{}[\]()#!|~@]/g, (c) => `\\${c}`)
  );
}

/** A markdown code span holding `text` verbatim (on one line), whatever backticks it contains. */
export function codeSpan(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, " ");
  const longest = Math.max(0, ...Array.from(flat.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || flat.startsWith(" ") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * A string for inside `"..."` in a Mermaid xychart: the lexer has no escape
 * for `"`, a backtick opens a markdown string, and a fence of backticks would
 * end the surrounding code block; angle brackets and braces are dropped so
 * that nothing reads as HTML or a directive. Cut to `max` characters.
 */
export function chartText(text: string, max = 40): string {
  const cleaned = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/["`]/g, "'")
    .replace(/[<>{}]/g, "")
    .replace(/%%/g, "%")
    .replace(/#(?=\w*;)/g, "")
    .replace(/\s+/g, " ")
    .trim();
  const chars = Array.from(cleaned);
  const cut = chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : cleaned;
  return cut.length === 0 ? "-" : cut;
}
