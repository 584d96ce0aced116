import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GitHubClient } from "../../src/github/client.js";
import { getFileAtRef, getPullRequestHead, listPullFiles } from "../../src/github/pulls.js";

const API = "https://ghe.example.com/api/v3";
const client = () => new GitHubClient({ token: "t", apiUrl: API, sleep: async () => undefined });

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe("listPullFiles", () => {
  it("reads every page, keeping renames' previous paths", async () => {
    const first = Array.from({ length: 100 }, (_, i) => ({ filename: `src/f${i}.ts`, status: "modified" }));
    nock("https://ghe.example.com")
      .get("/api/v3/repos/o/r/pulls/3/files")
      .query({ per_page: "100" })
      .reply(200, first, { link: '<https://ghe.example.com/api/v3/repos/o/r/pulls/3/files?per_page=100&page=2>; rel="next"' })
      .get("/api/v3/repos/o/r/pulls/3/files")
      .query({ per_page: "100", page: "2" })
      .reply(200, [
        { filename: "app/template.yaml", status: "renamed", previous_filename: "old/template.yaml" },
        { filename: "gone/template.yml", status: "removed" },
        { nonsense: true },
      ]);
    const files = await listPullFiles(client(), { owner: "o", repo: "r", pullNumber: 3 });
    expect(files).toHaveLength(102);
    expect(files[100]).toEqual({ filename: "app/template.yaml", status: "renamed", previous_filename: "old/template.yaml" });
    expect(files[101]).toEqual({ filename: "gone/template.yml", status: "removed" });
  });
});

describe("getFileAtRef", () => {
  it("fetches raw content at the base SHA with the path encoded", async () => {
    nock("https://ghe.example.com", { reqheaders: { accept: "application/vnd.github.raw+json" } })
      .get("/api/v3/repos/o/r/contents/my%20app/template.yaml")
      .query({ ref: "0123abc" })
      .reply(200, "Resources: {}\n", { "content-type": "application/vnd.github.raw+json" });
    expect(await getFileAtRef(client(), { owner: "o", repo: "r", path: "my app/template.yaml", ref: "0123abc" })).toBe("Resources: {}\n");
  });

  it("returns null for a path missing at the ref (404)", async () => {
    nock("https://ghe.example.com").get("/api/v3/repos/o/r/contents/new/template.yaml").query(true).reply(404, { message: "Not Found" });
    expect(await getFileAtRef(client(), { owner: "o", repo: "r", path: "new/template.yaml", ref: "abc" })).toBeNull();
  });

  it("treats a directory listing as missing", async () => {
    nock("https://ghe.example.com")
      .get("/api/v3/repos/o/r/contents/dir")
      .query(true)
      .reply(200, [{ type: "file", path: "dir/a" }], { "content-type": "application/json" });
    expect(await getFileAtRef(client(), { owner: "o", repo: "r", path: "dir", ref: "abc" })).toBeNull();
  });

  it("propagates a 403 (private fork without access) as an error", async () => {
    nock("https://ghe.example.com").get("/api/v3/repos/o/r/contents/t.yaml").query(true).reply(403, { message: "Forbidden" });
    await expect(getFileAtRef(client(), { owner: "o", repo: "r", path: "t.yaml", ref: "abc" })).rejects.toThrow(/HTTP 403: Forbidden/);
  });
});

describe("getPullRequestHead", () => {
  it("returns the head SHA (lower case) and the head's repository", async () => {
    nock("https://ghe.example.com")
      .get("/api/v3/repos/o/r/pulls/8")
      .reply(200, { number: 8, head: { sha: "AB".repeat(20), repo: { full_name: "fork/r" } }, base: { sha: "c".repeat(40) } });
    expect(await getPullRequestHead(client(), { owner: "o", repo: "r", pullNumber: 8 })).toEqual({ number: 8, headSha: "ab".repeat(20), headRepository: "fork/r" });
  });

  it("is null for a missing PR, reports a deleted fork as a null repository, and rejects an answer without head.sha", async () => {
    nock("https://ghe.example.com")
      .get("/api/v3/repos/o/r/pulls/9")
      .reply(404, { message: "Not Found" })
      .get("/api/v3/repos/o/r/pulls/10")
      .reply(200, { head: { sha: "a".repeat(40), repo: null } })
      .get("/api/v3/repos/o/r/pulls/11")
      .reply(200, { head: {} });
    expect(await getPullRequestHead(client(), { owner: "o", repo: "r", pullNumber: 9 })).toBeNull();
    expect((await getPullRequestHead(client(), { owner: "o", repo: "r", pullNumber: 10 }))?.headRepository).toBeNull();
    await expect(getPullRequestHead(client(), { owner: "o", repo: "r", pullNumber: 11 })).rejects.toThrow(/without a head\.sha/);
  });
});
