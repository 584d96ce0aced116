/**
 * Escaping of template-derived text (logical IDs, file names, rule messages)
 * for the languages it is written in: GitHub-flavoured markdown (with inline
 * HTML), Mermaid flowchart labels, and the lines a GitHub Actions runner reads
 * workflow commands from (the step log).
 *
 * Both escapers work the same way: a short allow-list of characters passes
 * through, everything else becomes a character reference, so no input can
 * form syntax in the output.
 */

/** Characters that carry no meaning in GitHub markdown or inline HTML. */
const MARKDOWN_SAFE = /[A-Za-z0-9 .,:;/=+?%'"(){}-]/;

/** Characters that carry no meaning inside a quoted Mermaid label. */
const MERMAID_SAFE = /[A-Za-z0-9 .,:;/=+?_()-]/;

const ZERO_WIDTH_SPACE = "\u200b";

/**
 * Characters that have no business in a report, a terminal or a log line:
 * C0 and C1 controls (escape sequences, NUL, CR, NEL), the Unicode line and
 * paragraph separators (some viewers break lines there), and the bidi
 * controls that reorder what a reader sees (overrides, isolates, marks).
 */
export function isControl(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** Collapses line breaks and tabs (they would end a table row or list item) and trims to `max` characters. */
export function oneLine(text: string, max = 300): string {
  const chars = Array.from(String(text).replace(/[\r\n\t\f\v\u2028\u2029]+/g, " "))
    // Other control characters (escape sequences, NUL, bidi overrides) have no business in a report.
    .filter((ch) => !isControl(ch.codePointAt(0) ?? 0));
  return chars.length > max ? chars.slice(0, Math.max(0, max - 1)).join("") + "…" : chars.join("");
}

/**
 * Escapes text for markdown, table cells, `<summary>` and other inline HTML.
 * The result cannot open or close HTML tags, start emphasis, links, code spans
 * or headings, split a table cell, or @-mention a user or team: characters
 * outside a small allow-list become numeric character references, and `@`
 * is followed by a zero-width space so GitHub does not link it.
 */
export function escapeMarkdown(text: string, max = 300): string {
  let out = "";
  for (const ch of breakReferences(oneLine(text, max))) {
    if (ch === "@") out += "&#64;" + ZERO_WIDTH_SPACE;
    // GitHub links "#123", "owner/repo#7" and "GH-7" to issues: a zero-width space after "#" (and inside "GH-") breaks them.
    else if (ch === "#") out += "&#35;" + ZERO_WIDTH_SPACE;
    else if (ch === "…" || ch === ZERO_WIDTH_SPACE || MARKDOWN_SAFE.test(ch)) out += ch;
    else out += `&#${ch.codePointAt(0) ?? 63};`;
  }
  // A run like "https://" or "www." would still be autolinked; that is harmless text, not markup.
  return out;
}

/**
 * GitHub reads character references before it looks for references, so an
 * escaped "#" still links: the references it links are broken with a
 * zero-width space instead ("GH-7" becomes "GH\u200b-7"; "#" is handled by
 * escapeMarkdown). Breaking them keeps a pull request's text from making the
 * report point at, or cross-reference, other issues.
 */
function breakReferences(text: string): string {
  return text.replace(/(?<![A-Za-z0-9_])(gh)(-\d)/gi, `$1${ZERO_WIDTH_SPACE}$2`);
}

/**
 * Like escapeMarkdown, but text between a pair of backticks (as rule messages
 * and fixes write code: "Add `Tracing: Active`") becomes `<code>` with its
 * content escaped. An unpaired backtick stays an escaped character.
 */
export function escapeMarkdownCode(text: string, max = 300): string {
  const parts = oneLine(text, max).split("`");
  if (parts.length < 3) return escapeMarkdown(text, max);
  let out = "";
  parts.forEach((part, i) => {
    const closed = i % 2 === 1 && i < parts.length - 1;
    if (closed) out += `<code>${escapeMarkdown(part, max)}</code>`;
    else out += (i % 2 === 1 ? "&#96;" : "") + escapeMarkdown(part, max);
  });
  return out;
}

/**
 * Escapes text for the inside of a double-quoted Mermaid label. Everything
 * outside a small allow-list becomes a Mermaid entity code (`#34;`), so the
 * label cannot end the string, start a directive (`%%{init}`), a comment, a
 * markdown string (backtick), HTML, or a fenced code block in the comment.
 */
export function escapeMermaid(text: string, max = 80): string {
  let out = "";
  for (const ch of oneLine(text, max)) {
    out += MERMAID_SAFE.test(ch) ? ch : `#${ch.codePointAt(0) ?? 63};`;
  }
  return out;
}

/** A Mermaid node id made of `[A-Za-z0-9_]` only, from any text. */
export function mermaidIdPart(text: string, max = 40): string {
  const cleaned = String(text).replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  return cleaned.slice(0, max) || "x";
}

/**
 * A link target safe in `[text](url)`: only http(s) URLs are kept, and the
 * characters that could end the destination or start HTML are percent-encoded.
 */
export function safeUrl(url: string | null | undefined): string | null {
  if (typeof url !== "string" || !/^https?:\/\/[^\s]/i.test(url)) return null;
  return url.replace(/[\s()<>"'`\\[\]|]/g, (ch) => "%" + ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));
}

/**
 * Makes text one line that a GitHub Actions runner prints as it is. The runner
 * reads workflow commands from a step's output: `::command::` at the start of
 * a line (after white space) and the older `##[command]` anywhere in it. Line
 * breaks become a visible `%0A` / `%0D` (the other separators `%` and their
 * code point in hex, like `%2028`), so text from a pull request cannot start
 * a line of its own; other control characters are dropped; then no command
 * is left (neutraliseWorkflowCommands).
 */
export function workflowLogLine(text: string): string {
  let out = "";
  for (const ch of String(text)) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\r") out += "%0D";
    else if (ch === "\n") out += "%0A";
    else if (code === 0x0b || code === 0x0c || code === 0x85 || code === 0x2028 || code === 0x2029) out += `%${code.toString(16).toUpperCase().padStart(2, "0")}`;
    else if (ch === "\t" || !isControl(code)) out += ch;
  }
  return neutraliseWorkflowCommands(out);
}

/**
 * Neutralises workflow commands in text whose own line breaks are kept (an
 * annotation's message, a CLI report): the content stays, but no line starts
 * with `::` (a zero-width space goes between the colons) and no `##[` is left.
 * `json` keeps JSON output lossless: there `##[` can only be inside a string,
 * where `\u0023` is the same character.
 */
export function neutraliseWorkflowCommands(text: string, json = false): string {
  return String(text)
    .replace(/^([\s\u0085]*):(?=:)/gm, `$1:${ZERO_WIDTH_SPACE}`)
    .replace(/##\[/g, json ? "#\\u0023[" : `##${ZERO_WIDTH_SPACE}[`);
}
