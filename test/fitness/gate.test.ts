import { describe, expect, it } from "vitest";
import { compareFitness } from "../../src/fitness/delta.js";
import { applyGate } from "../../src/fitness/gate.js";
import { score } from "./helpers.js";

const GOOD = `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: AES256 } }]
      VersioningConfiguration: { Status: Enabled }
`;
const BAD = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n";

describe("applyGate", () => {
  const base = score(GOOD);
  const head = score(BAD);
  const delta = compareFitness(base, head);

  it("fails below the threshold, naming score, threshold and the costliest rules", () => {
    const gate = applyGate(head, null, { threshold: 90, maxDecrease: null });
    expect(gate.passed).toBe(false);
    expect(gate.failures).toHaveLength(1);
    expect(gate.failures[0]).toMatch(new RegExp(`^Fitness ${head.score.toFixed(1)} is below the threshold 90\\.0`));
    expect(gate.failures[0]).toMatch(/s3-bucket-server-side-encryption-enabled/);
  });

  it("fails on a drop larger than max-decrease, naming the drop and the rules that moved most", () => {
    const gate = applyGate(head, delta, { threshold: null, maxDecrease: 5 });
    expect(gate.passed).toBe(false);
    expect(gate.failures[0]).toMatch(/dropped by \d+\.\d points/);
    expect(gate.failures[0]).toMatch(/more than the allowed 5\.0/);
    expect(gate.failures[0]).toMatch(/biggest drops: s3-bucket-server-side-encryption-enabled/);
  });

  it("passes within limits, without limits, and for a deleted template", () => {
    expect(applyGate(head, delta, { threshold: 0, maxDecrease: 100 }).passed).toBe(true);
    expect(applyGate(head, delta, { threshold: null, maxDecrease: null })).toEqual({ passed: true, threshold: null, maxDecrease: null, failures: [] });
    expect(applyGate(null, null, { threshold: 50, maxDecrease: 1 }).passed).toBe(true);
    expect(applyGate(base, compareFitness(head, base), { threshold: null, maxDecrease: 0 }).passed).toBe(true);
  });
});
