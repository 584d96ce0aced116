import { describe, expect, it } from "vitest";
import type { LiveReport } from "../../src/live/types.js";
import { renderLiveSection, renderLiveSkipped } from "../../src/render/live.js";

function live(overrides: Partial<LiveReport> = {}): LiveReport {
  return {
    ok: true,
    error: null,
    stack: "shop-prod",
    stackId: null,
    region: "eu-west-1",
    status: "UPDATE_COMPLETE",
    lastUpdated: null,
    drift: "IN_SYNC",
    driftCheckedAt: null,
    resources: [],
    changes: { added: ["NewQueue"], removed: [{ logicalId: "Orders", type: "AWS::DynamoDB::Table", stateful: true, retained: false }], replaced: ["Bucket"], replacedBecause: { Bucket: "BucketName changes" } },
    disagreements: [{ ruleId: "s3-bucket-server-side-encryption-enabled", resource: "Bucket", configRule: "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED", template: "fail", live: "COMPLIANT" }],
    unmatchedConfigRules: ["my-custom-rule"],
    fitness: null,
    score: 81.25,
    coverage: { supported: 2, checked: 2, config: true },
    warnings: [],
    ...overrides,
  } as LiveReport;
}

describe("the live section", () => {
  it("puts the live score beside the template's and calls out deleted stateful resources", () => {
    const text = renderLiveSection(live(), 74.5);
    expect(text).toContain("live fitness **81.3**");
    expect(text).toContain("(template 74.5)");
    expect(text).toContain("[!CAUTION]");
    expect(text).toMatch(/deletes 1 stateful resource/);
    expect(text).toContain("| <code>NewQueue</code> | not deployed yet |");
    expect(text).toContain("replaced on deploy: BucketName changes");
    expect(text).toContain("| <code>Bucket</code> | <code>s3-bucket-server-side-encryption-enabled</code> | fail | COMPLIANT |");
  });

  it("a replaced resource named like an Object.prototype member gets no made-up reason", () => {
    const text = renderLiveSection(
      live({ changes: { added: [], removed: [], replaced: ["constructor", "toString"], replacedBecause: { toString: "Name changes" } } }),
      74.5,
    );
    expect(text).toContain("| <code>constructor</code> | replaced on deploy |");
    expect(text).toContain("| <code>toString</code> | replaced on deploy: Name changes |");
    expect(text).not.toMatch(/native code/);
  });

  it("escapes what comes from AWS and the template", () => {
    const text = renderLiveSection(
      live({ stack: "</details><script>alert(1)</script>", warnings: ["@org/team look | here"], changes: { added: ["`x`"], removed: [], replaced: [], replacedBecause: {} } }),
      null,
    );
    expect(text).not.toContain("<script>");
    expect(text).not.toContain("</details>");
    expect(text).not.toMatch(/@org/);
    expect(text).not.toContain("`x`");
  });

  it("says plainly when the check failed", () => {
    const text = renderLiveSection(live({ ok: false, error: { kind: "stack-not-found", message: "Stack shop-prod does not exist in eu-west-1" } as LiveReport["error"] }), 70);
    expect(text).toContain("did not complete: Stack shop-prod does not exist in eu-west-1");
  });
});

describe("renderLiveSkipped", () => {
  it("says why the live check did not run, escaped", () => {
    const text = renderLiveSkipped("The pull request comes from the fork <img src=x>@mallory/shop: the live check never runs on forks.");
    expect(text).toMatch(/^### Live stack\n\nNot checked: The pull request comes from the fork/);
    expect(text).not.toContain("<img");
    expect(text).not.toMatch(/(^|[^`\\])@mallory/);
  });
});
