import { describe, expect, it } from "vitest";
import { escapeMarkdown, escapeMarkdownCode, escapeMermaid, mermaidIdPart, oneLine, safeUrl } from "../../src/render/escape.js";

/** What a browser shows for markdown-escaped text: numeric references decoded. */
function decodeReferences(text: string): string {
  return text.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))).replace(/\u200b/g, "");
}

const HOSTILE = [
  "</details><script>alert(1)</script>",
  "@org/team please look",
  "a | b | c",
  "`code` and ```fence",
  "*bold* _it_ [link](https://evil.example) ![img](x)",
  "<!-- comment --> &amp; &#64;",
  "# heading\n- list\r\n> quote",
  "$x^2$ math ~strike~ \\backslash",
];

describe("escapeMarkdown", () => {
  it("leaves nothing that markdown or HTML would read as syntax", () => {
    for (const input of HOSTILE) {
      const out = escapeMarkdown(input);
      expect(out.replace(/&#\d+;/g, "")).not.toMatch(/[<>`|*_[\]!~\\$&\n\r]/);
    }
  });

  it("keeps the text readable once rendered: references decode back to the input (on one line)", () => {
    for (const input of HOSTILE) expect(decodeReferences(escapeMarkdown(input))).toBe(oneLine(input));
  });

  it("breaks @-mentions with a zero-width space so GitHub does not notify anyone", () => {
    const out = escapeMarkdown("ping @org/team and @user");
    expect(out).not.toMatch(/@/);
    expect(out).toContain("&#64;\u200borg/team");
  });

  it("keeps ordinary identifiers and sentences as they are", () => {
    expect(escapeMarkdown("MyFunction-1 reads table.Arn: 50% done, ok?")).toBe("MyFunction-1 reads table.Arn: 50% done, ok?");
  });

  it("truncates long text with an ellipsis and drops control characters", () => {
    expect(escapeMarkdown("x".repeat(500), 10)).toBe("x".repeat(9) + "…");
    expect(escapeMarkdown("a\u0000b\u001b[31mc\u202ed")).toBe("ab&#91;31mcd");
  });
});

describe("escapeMarkdownCode", () => {
  it("turns paired backticks into <code> with escaped content", () => {
    expect(escapeMarkdownCode("Add `Tracing: Active` to the function")).toBe("Add <code>Tracing: Active</code> to the function");
    expect(escapeMarkdownCode("Set `</code><script>`")).toBe("Set <code>&#60;/code&#62;&#60;script&#62;</code>");
  });

  it("leaves an unpaired backtick as an escaped character", () => {
    expect(escapeMarkdownCode("a `b` c ` d")).toBe("a <code>b</code> c &#96; d");
    expect(escapeMarkdownCode("only ` one")).toBe("only &#96; one");
  });
});

describe("escapeMermaid", () => {
  it("encodes quotes, brackets, arrows, directives and HTML as entity codes", () => {
    const out = escapeMermaid(`A"]-->B%%{init: {'theme':'dark'}}%% <b>click</b> \`md\``, 200);
    expect(out.replace(/#\d+;/g, "")).not.toMatch(/["[\]<>%{}`'|]/);
    expect(out.startsWith("A#34;#93;--#62;B#37;#37;#123;init")).toBe(true);
  });

  it("encodes a literal # so template text cannot forge an entity code", () => {
    expect(escapeMermaid("#quot;")).toBe("#35;quot;");
  });
});

describe("mermaidIdPart", () => {
  it("keeps only [A-Za-z0-9_] and never returns an empty id", () => {
    expect(mermaidIdPart("My-Func.1 (x)")).toBe("My_Func_1_x");
    expect(mermaidIdPart("---")).toBe("x");
    expect(mermaidIdPart("a".repeat(100))).toHaveLength(40);
  });
});

describe("safeUrl", () => {
  it("keeps http(s) URLs and percent-encodes what would end a markdown link", () => {
    expect(safeUrl("https://github.com/o/r/blob/abc/a b(1).yaml#L3")).toBe("https://github.com/o/r/blob/abc/a%20b%281%29.yaml#L3");
  });

  it("refuses other schemes", () => {
    expect(safeUrl("javascript:alert(1)")).toBeNull();
    expect(safeUrl("data:text/html,x")).toBeNull();
    expect(safeUrl(null)).toBeNull();
  });
});

describe("issue references in escaped text", () => {
  /** GitHub's autolinked references, as it finds them in rendered text (character references decoded). */
  const REFERENCE = /(?<![\w-])(?:#\d+|gh-\d+|[\w.-]+\/[\w.-]+#\d+)/i;
  const rendered = (text: string) => text.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));

  it("breaks #123, GH-7 and owner/repo#7 with a zero-width space, like @-mentions", () => {
    for (const input of ["Fn#123", "see #123", "GH-7 fix", "gh-7", "octo/repo#7", "Queue#1 (#2)"]) {
      const out = escapeMarkdown(input);
      expect(rendered(out), input).not.toMatch(REFERENCE);
      expect(rendered(out).replace(/\u200b/g, ""), input).toBe(input);
    }
  });

  it("leaves look-alikes that GitHub does not link as they are", () => {
    expect(escapeMarkdown("HIGH-7 and Thigh-3")).toBe("HIGH-7 and Thigh-3");
  });

  it("breaks references inside code spans too", () => {
    expect(rendered(escapeMarkdownCode("Rename `Fn#12` and `GH-3`"))).not.toMatch(REFERENCE);
  });
});

describe("line and paragraph separators", () => {
  it("never survive into markdown, Mermaid or a single line", () => {
    for (const sep of ["\u2028", "\u2029", "\u0085", "\u000b", "\u000c", "\u200e", "\u200f", "\u061c"]) {
      for (const out of [oneLine(`a${sep}b`), escapeMarkdown(`a${sep}b`), escapeMermaid(`a${sep}b`)]) expect(out, JSON.stringify(sep)).not.toContain(sep);
    }
  });
});
