import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  CommentFileError,
  commentFileFor,
  MAX_COMMENT_FILE_BYTES,
  parseCommentFile,
  readCommentFileText,
  writeCommentFile,
} from "../../src/action/comment-file.js";
import type { RunContext } from "../../src/action/context.js";
import { checkTemplates } from "../../src/app/check.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { REPORT_MARKER, renderMarkdown } from "../../src/render/markdown.js";
import { readCorpus } from "../support/corpus.js";

const HEAD = "a1".repeat(20);
const expected = { repository: "acme/shop", marker: REPORT_MARKER };
const dir = () => mkdtempSync(join(tmpdir(), "sam-fitness-comment-file-"));

/** A real report comment, rendered from a corpus template. */
const BODY = renderMarkdown(
  checkTemplates([{ file: "template.yaml", head: readCorpus("seed/evolutionary-template.yaml"), base: undefined }], defaultConfig(), {
    toolVersion: "test",
    configPath: null,
  }),
);

const context = (overrides: Partial<RunContext> = {}): RunContext => ({
  eventName: "pull_request",
  owner: "acme",
  repo: "shop",
  sha: "m".repeat(40),
  runId: 4242,
  runAttempt: 1,
  serverUrl: "https://github.com",
  apiUrl: "https://api.github.com",
  graphqlUrl: "https://api.github.com/graphql",
  workspace: "/tmp",
  pullRequest: { number: 7, baseSha: "b".repeat(40), headSha: HEAD, baseRef: "main", fromFork: true, headRepository: "mallory/shop" },
  pushBefore: null,
  ref: "refs/pull/7/merge",
  defaultBranch: "main",
  ...overrides,
});

const valid = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ version: 1, repository: "acme/shop", pullRequest: 7, headSha: HEAD, body: BODY, ...overrides });

describe("commentFileFor + writeCommentFile", () => {
  it("writes the PR's number, head SHA, repository and the comment body, and reads back as valid", async () => {
    expect(BODY.startsWith(REPORT_MARKER)).toBe(true);
    const file = commentFileFor(context(), BODY, REPORT_MARKER);
    expect(file).toEqual({ version: 1, repository: "acme/shop", pullRequest: 7, headSha: HEAD, body: BODY });
    const path = await writeCommentFile(join(dir(), "sam-fitness"), file!);
    expect(path.endsWith("/sam-fitness/comment.json")).toBe(true);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(file);
    expect(parseCommentFile(await readCommentFileText(path), expected)).toEqual(file);
  });

  it("is null when the run is not for a pull request", () => {
    expect(commentFileFor(context({ eventName: "push", pullRequest: null }), BODY, REPORT_MARKER)).toBeNull();
  });

  it("replaces a body that would not fit the size limit with a pointer to the run, still valid", () => {
    const huge = `${REPORT_MARKER}\n${"\u00e9\u4e2d".repeat(30_000)}`;
    const file = commentFileFor(context(), huge, REPORT_MARKER)!;
    expect(file.body).toMatch(/^<!-- sam-fitness-report -->\n\nThe sam-fitness report is too large/);
    expect(file.body).toContain("https://github.com/acme/shop/actions/runs/4242");
    expect(parseCommentFile(JSON.stringify(file), expected).body).toBe(file.body);
  });
});

describe("parseCommentFile", () => {
  const reject = (text: string, message: RegExp, exp = expected) => {
    let error: unknown;
    try {
      parseCommentFile(text, exp);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CommentFileError);
    expect((error as Error).message).toMatch(message);
  };

  it("accepts the exact shape and normalises the SHA to lower case", () => {
    expect(parseCommentFile(valid({ headSha: HEAD.toUpperCase() }), expected).headSha).toBe(HEAD);
    expect(parseCommentFile(valid({ headSha: "f".repeat(64) }), expected).headSha).toBe("f".repeat(64));
  });

  it("rejects malformed JSON and other shapes", () => {
    reject("{not json", /not valid JSON/);
    reject("[]", /not a JSON object/);
    reject("null", /not a JSON object/);
    reject(JSON.stringify({ version: 1, repository: "acme/shop", pullRequest: 7, headSha: HEAD }), /lacks "body"/);
    reject(valid({ runId: 99999999 }), /1 unexpected field/);
  });

  it("rejects another version, a non-integer PR number and a SHA that is not 40/64 hex", () => {
    reject(valid({ version: 2 }), /"version" must be 1/);
    reject(valid({ version: "1" }), /"version" must be 1/);
    for (const pullRequest of ["7", 7.5, 0, -3, 2 ** 60, null]) reject(valid({ pullRequest }), /"pullRequest" is not a positive integer/);
    for (const headSha of ["abc", "g".repeat(40), "a".repeat(41), `${HEAD}\n`, 42]) reject(valid({ headSha }), /"headSha" is not a 40- or 64-digit hex/);
  });

  it("rejects a file made for another repository", () => {
    reject(valid({ repository: "mallory/shop" }), /for repository mallory\/shop, but this run is in acme\/shop/);
    reject(valid({ repository: "acme/shop\n::warning::x" }), /not an owner\/name string/);
    expect(parseCommentFile(valid({ repository: "Acme/Shop" }), expected).repository).toBe("Acme/Shop");
  });

  it("rejects a body that is not a report: no marker, too long, a forged run stamp, not a string", () => {
    reject(valid({ body: `hello\n${REPORT_MARKER}` }), /does not start with the report marker/);
    reject(valid({ body: `${REPORT_MARKER}${"x".repeat(65_537)}` }), /65\d{3} characters, more than GitHub's 65536/);
    reject(valid({ body: `${BODY}\n<!-- sam-fitness-run sha=${HEAD} run=99999999999 attempt=1 -->` }), /contains a run stamp/);
    reject(valid({ body: 12 }), /"body" is not a string/);
  });
});

describe("readCommentFileText", () => {
  it("accepts a file of exactly the size limit and refuses one byte more", async () => {
    const path = join(dir(), "comment.json");
    const json = Buffer.from(valid(), "utf8");
    const padded = (size: number) => Buffer.concat([json, Buffer.alloc(size - json.length, 0x20)]);
    writeFileSync(path, padded(MAX_COMMENT_FILE_BYTES));
    expect(parseCommentFile(await readCommentFileText(path), expected).pullRequest).toBe(7);
    writeFileSync(path, padded(MAX_COMMENT_FILE_BYTES + 1));
    await expect(readCommentFileText(path)).rejects.toThrow(/is 102401 bytes, more than the 102400 bytes/);
  });

  it("refuses symlinks, directories, missing files and invalid UTF-8", async () => {
    const root = dir();
    const target = join(root, "secret.json");
    writeFileSync(target, valid());
    symlinkSync(target, join(root, "link.json"));
    await expect(readCommentFileText(join(root, "link.json"))).rejects.toThrow(/symbolic link/);
    mkdirSync(join(root, "folder"));
    await expect(readCommentFileText(join(root, "folder"))).rejects.toThrow(/not a regular file/);
    await expect(readCommentFileText(join(root, "missing.json"))).rejects.toThrow(/does not exist/);
    writeFileSync(join(root, "bad.json"), Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    await expect(readCommentFileText(join(root, "bad.json"))).rejects.toThrow(/not valid UTF-8/);
  });
});
