import { describe, expect, it } from "vitest";
import { BUILTIN_RULES } from "../../rules/index.js";
import { renderMarkdown } from "../../src/render/markdown.js";
import { renderSarif } from "../../src/render/sarif.js";
import { renderText } from "../../src/render/text.js";
import { runCheck } from "./helpers/reports.js";

const TEMPLATE = `Resources:
  LogBucket:
    Type: AWS::S3::Bucket
    Metadata:
      sam-fitness:
        skip:
          - id: s3-bucket-logging-enabled
            reason: "this bucket receives the <b>other</b> buckets' access logs"
          - id: s3-bucket-versioning-enabled
  Data:
    Type: AWS::S3::Bucket
`;

describe("suppressed results in every report format", () => {
  const report = runCheck([{ file: "template.yaml", head: TEMPLATE, base: undefined }]);

  it("markdown lists them with their reason, collapsed and escaped, and says why a suppression was ignored", () => {
    const md = renderMarkdown(report);
    expect(md).toContain("<summary>Suppressed in the template (1, not scored)</summary>");
    expect(md).toMatch(/- <code>s3-bucket-logging-enabled<\/code> \*\*LogBucket\*\* \(template\.yaml:2\): this bucket receives the &#60;b&#62;other&#60;\/b&#62; buckets/);
    expect(md).toMatch(/suppression of &#34;s3-bucket-versioning-enabled&#34; has no reason and was not applied|suppression of "s3-bucket-versioning-enabled" has no reason and was not applied/);
  });

  it("text prints them as suppressed lines, and the notes", () => {
    const text = renderText(report);
    expect(text).toContain("template.yaml:2: s3-bucket-logging-enabled: suppressed (this bucket receives the <b>other</b> buckets' access logs) [LogBucket]");
    expect(text).toMatch(/note: .*s3-bucket-versioning-enabled.* has no reason and was not applied/);
  });

  it("SARIF reports them as suppressed in source with the reason as justification", () => {
    const sarif = renderSarif(report, BUILTIN_RULES) as { runs: { results: { ruleId: string; suppressions?: { kind: string; justification: string }[] }[] }[] };
    const suppressed = sarif.runs[0]!.results.filter((r) => r.suppressions);
    expect(suppressed).toEqual([
      expect.objectContaining({ ruleId: "s3-bucket-logging-enabled", suppressions: [{ kind: "inSource", justification: "this bucket receives the <b>other</b> buckets' access logs" }] }),
    ]);
  });
});
