import { describe, expect, it } from "vitest";
import { complexityInputs, computeComplexity } from "../../src/fitness/complexity.js";
import type { EventGraph, GraphEdge } from "../../src/graph/types.js";
import { score } from "./helpers.js";

const edge = (from: string, to: string, kind: GraphEdge["kind"] = "trigger"): GraphEdge => ({ from, to, kind, line: 1 });
const graph = (edges: GraphEdge[]): EventGraph => {
  const ids = new Set(edges.flatMap((e) => [e.from, e.to]));
  return { nodes: [...ids].map((id) => ({ id, type: "X", kind: "function", line: 1 })), edges };
};

describe("complexity", () => {
  it("measures chains, fan-out and cycles", () => {
    const g = graph([edge("a", "b"), edge("b", "c", "invoke"), edge("c", "d", "destination"), edge("d", "e", "write"), edge("e", "f", "trigger"), edge("a", "x", "reference")]);
    expect(complexityInputs(g)).toMatchObject({ edges: 5, referenceEdges: 1, longestChain: 5, cycleNodes: 0, maxFanOut: 2, fanOutExcess: 0 });
    const loop = graph([edge("f", "t", "write"), edge("t", "f", "trigger"), edge("t", "g")]);
    expect(complexityInputs(loop)).toMatchObject({ cycleNodes: 2, longestChain: 1 });
    const fan = graph(["b", "c", "d", "e", "f", "g"].map((to) => edge("a", to, "write")));
    expect(complexityInputs(fan)).toMatchObject({ maxFanOut: 6, fanOutExcess: 2 });
  });

  it("value follows the documented formula; penalty = min(cap, lambda x value)", () => {
    const g = graph([edge("a", "b"), edge("b", "c"), edge("c", "d"), edge("d", "e"), edge("e", "e", "invoke"), edge("a", "z", "reference")]);
    const c = computeComplexity(g, 0.5, 3);
    // E = 5, R = 1, F = 0, L = 4 (self loop is inside one component), C = 1 (self loop)
    expect(c.value).toBeCloseTo(5 + 0.25 + 2 * (4 - 3) + 3 * 1);
    expect(c.penalty).toBe(3);
    expect(computeComplexity(g, 0.1, 10).penalty).toBeCloseTo(1.025);
  });

  it("regularizes: adding a function with one trigger costs far less than an unencrypted bucket", () => {
    const base = `Transform: AWS::Serverless-2016-10-31
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: aws:kms } }]
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: src/
      Events:
        Up: { Type: S3, Properties: { Bucket: !Ref Data, Events: "s3:ObjectCreated:*" } }
`;
    const withFunction = `${base}  Fn2:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: src/
      Events:
        Up: { Type: S3, Properties: { Bucket: !Ref Data, Events: "s3:ObjectRemoved:*" } }
`;
    const f0 = score(base);
    const f1 = score(withFunction);
    const complexityCost = f1.complexity.penalty - f0.complexity.penalty;
    expect(complexityCost).toBeGreaterThan(0);
    const unencrypted = score(base.replace(/ {6}BucketEncryption:\n.*\n/, ""));
    const encryptionCost = f0.quality - unencrypted.quality;
    expect(encryptionCost).toBeGreaterThan(10 * complexityCost);
  });

  it("the default penalty is capped", () => {
    const many = graph(Array.from({ length: 500 }, (_, i) => edge(`n${i}`, `n${i + 1}`)));
    expect(computeComplexity(many).penalty).toBe(10);
  });
});
