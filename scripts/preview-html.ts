/**
 * A small markdown-to-HTML converter for the subset the report emits, so a
 * report can be looked at in a browser the way GitHub shows it: headings,
 * paragraphs, lists, tables, `<details>`, fenced mermaid blocks, blockquote
 * notes, bold, italics, links and code spans. Inline HTML from the report
 * (already escaped by the renderer) is passed through as GitHub would.
 */

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Inline markdown: code spans, links, bold, italics. Character references stay as they are. */
export function inline(text: string): string {
  const spans: string[] = [];
  let out = text.replace(/`([^`]+)`/g, (_, code: string) => {
    spans.push(`<code>${escapeHtml(code)}</code>`);
    return `\ue000${spans.length - 1}\ue001`;
  });
  out = out.replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, (_, label: string, url: string) => `<a href="${url.replace(/"/g, "%22")}">${label}</a>`);
  out = out.replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
  out = out.replace(/(^|[\s(])_([^_]+)_(?=$|[\s).,])/g, "$1<em>$2</em>");
  return out.replace(/\ue000(\d+)\ue001/g, (_, i: string) => spans[Number(i)] ?? "");
}

function tableCells(line: string): string[] {
  return line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) => c.trim());
}

function alignments(separator: string): string[] {
  return tableCells(separator).map((c) => (c.startsWith(":") && c.endsWith(":") ? "center" : c.endsWith(":") ? "right" : "left"));
}

export function markdownToHtml(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const html: string[] = [];
  let paragraph: string[] = [];
  let list: string[] = [];
  const flush = (): void => {
    if (paragraph.length) html.push(`<p>${paragraph.map(inline).join("<br>\n")}</p>`);
    if (list.length) html.push(`<ul>\n${list.map((item) => `<li>${inline(item)}</li>`).join("\n")}\n</ul>`);
    paragraph = [];
    list = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.startsWith("```")) {
      flush();
      const language = line.slice(3).trim();
      const body: string[] = [];
      for (i++; i < lines.length && !(lines[i] ?? "").startsWith("```"); i++) body.push(lines[i] ?? "");
      const cls = language === "mermaid" ? "mermaid" : "code";
      html.push(`<pre class="${cls}">${escapeHtml(body.join("\n"))}</pre>`);
      continue;
    }
    const heading = /^(#{1,6}) (.*)$/.exec(line);
    if (heading) {
      flush();
      const level = heading[1]?.length ?? 1;
      html.push(`<h${level}>${inline(heading[2] ?? "")}</h${level}>`);
      continue;
    }
    if (line.startsWith("|") && (lines[i + 1] ?? "").startsWith("| ---")) {
      flush();
      const head = tableCells(line);
      const align = alignments(lines[i + 1] ?? "");
      const rows: string[][] = [];
      for (i += 2; i < lines.length && (lines[i] ?? "").startsWith("|"); i++) rows.push(tableCells(lines[i] ?? ""));
      i--;
      const cell = (tag: string, text: string, j: number): string => `<${tag} style="text-align:${align[j] ?? "left"}">${inline(text)}</${tag}>`;
      html.push(
        "<table>",
        `<thead><tr>${head.map((c, j) => cell("th", c, j)).join("")}</tr></thead>`,
        "<tbody>",
        ...rows.map((r) => `<tr>${r.map((c, j) => cell("td", c, j)).join("")}</tr>`),
        "</tbody>",
        "</table>",
      );
      continue;
    }
    if (line.startsWith("> ")) {
      flush();
      const quote: string[] = [];
      for (; i < lines.length && (lines[i] ?? "").startsWith(">"); i++) quote.push((lines[i] ?? "").replace(/^> ?/, ""));
      i--;
      const note = quote[0] === "[!NOTE]";
      html.push(`<blockquote class="${note ? "note" : ""}">${note ? "<p class=\"note-title\">Note</p>" : ""}<p>${quote.slice(note ? 1 : 0).map(inline).join(" ")}</p></blockquote>`);
      continue;
    }
    if (/^<\/?(details|summary)>/.test(line) || /^<!--.*-->$/.test(line)) {
      flush();
      html.push(line.replace(/<summary>(.*)<\/summary>/, (_, s: string) => `<summary>${inline(s)}</summary>`));
      continue;
    }
    if (line === "---") {
      flush();
      html.push("<hr>");
      continue;
    }
    if (line.startsWith("- ")) {
      if (paragraph.length) flush();
      list.push(line.slice(2));
      continue;
    }
    if (line.trim() === "") {
      flush();
      continue;
    }
    if (list.length) flush();
    paragraph.push(line);
  }
  flush();
  return html.join("\n");
}

/** A standalone page styled roughly like a GitHub comment. */
export function previewPage(markdown: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sam-fitness report preview</title>
<style>
  body { margin: 0; background: #f6f8fa; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; }
  .comment { max-width: 900px; margin: 16px auto; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; padding: 16px 24px; }
  h3 { font-size: 1.25em; margin: 16px 0 8px; } h4 { font-size: 1em; margin: 20px 0 8px; }
  table { border-collapse: collapse; margin: 8px 0; } th, td { border: 1px solid #d1d9e0; padding: 4px 10px; }
  th { background: #f6f8fa; } tr:nth-child(2n) td { background: #f6f8fa; }
  code { background: rgba(129,139,152,0.12); border-radius: 4px; padding: 0.1em 0.35em; font: 85% ui-monospace, SFMono-Regular, Menlo, monospace; }
  details { margin: 8px 0; } summary { cursor: pointer; font-weight: 600; }
  blockquote.note { border-left: 4px solid #0969da; margin: 12px 0; padding: 0 12px; color: #1f2328; } .note-title { color: #0969da; font-weight: 600; margin: 4px 0; }
  pre.mermaid { background: #fff; text-align: center; } pre.code { background: #f6f8fa; padding: 8px; overflow: auto; }
  hr { border: 0; border-top: 1px solid #d1d9e0; } a { color: #0969da; text-decoration: none; } ul { padding-left: 2em; }
</style>
</head>
<body>
<div class="comment">
${markdownToHtml(markdown)}
</div>
</body>
</html>
`;
}
