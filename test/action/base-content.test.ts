import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createBaseReader } from "../../src/action/base-content.js";
import { gitShow } from "../../src/io/git.js";

function repoWithTwoCommits(): { root: string; base: string } {
  const root = mkdtempSync(join(tmpdir(), "base-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
  git("init", "-q", "-b", "main");
  git("config", "user.email", "t@example.com");
  git("config", "user.name", "t");
  writeFileSync(join(root, "template.yaml"), "Resources: {}\n# base\n");
  git("add", ".");
  git("commit", "-q", "-m", "base");
  const base = git("rev-parse", "HEAD");
  writeFileSync(join(root, "template.yaml"), "Resources: {}\n# head\n");
  git("commit", "-q", "-am", "head");
  return { root, base };
}

describe("createBaseReader", () => {
  it("reads from git when the commit is there, null for a path added later", async () => {
    const { root, base } = repoWithTwoCommits();
    const read = createBaseReader({ ref: base, repoRoot: root, gitShow, fromApi: null });
    expect(await read("template.yaml")).toBe("Resources: {}\n# base\n");
    expect(await read("new/template.yaml")).toBeNull();
  });

  it("fetches the commit once, then falls back to the contents API", async () => {
    const { root } = repoWithTwoCommits();
    const missing = "f".repeat(40);
    const fetched: string[] = [];
    const asked: string[] = [];
    const logs: string[] = [];
    const read = createBaseReader({
      ref: missing,
      repoRoot: root,
      gitShow,
      gitFetch: async (ref) => {
        fetched.push(ref);
        throw new Error("no such commit on the remote");
      },
      fromApi: async (path, ref) => {
        asked.push(`${path}@${ref}`);
        return path === "template.yaml" ? "from api" : null;
      },
      log: (m) => logs.push(m),
    });
    expect(await read("template.yaml")).toBe("from api");
    expect(await read("other.yaml")).toBeNull();
    expect(fetched).toEqual([missing]);
    expect(asked).toEqual([`template.yaml@${missing}`, `other.yaml@${missing}`]);
    expect(logs.join("\n")).toContain("reading base templates through the GitHub API");
  });

  it("uses git after a successful fetch", async () => {
    const { root, base } = repoWithTwoCommits();
    let calls = 0;
    const read = createBaseReader({
      ref: base,
      repoRoot: root,
      gitShow: async (ref, path, cwd) => {
        calls++;
        if (calls === 1) throw new Error("unknown revision");
        return gitShow(ref, path, cwd);
      },
      gitFetch: async () => undefined,
      fromApi: null,
    });
    expect(await read("template.yaml")).toContain("# base");
  });

  it("explains what to do when neither git nor a token can provide the base", async () => {
    const { root } = repoWithTwoCommits();
    const read = createBaseReader({ ref: "e".repeat(40), repoRoot: root, gitShow, gitFetch: async () => Promise.reject(new Error("x")), fromApi: null });
    await expect(read("template.yaml")).rejects.toThrow(/fetch-depth: 0/);
  });
});
