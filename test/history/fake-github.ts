/**
 * A small stateful stand-in for the parts of the GitHub REST API the history
 * branch uses (contents, git refs, blobs, repository), served through nock.
 * It enforces the blob SHA on writes like GitHub does, so concurrent writers
 * really conflict. Faults can be queued to answer a request before the fake.
 */
import { createHash } from "node:crypto";
import nock from "nock";

export const API = "https://github.example.com/api/v3";
const REPO = "/repos/octo/app";

export interface Fault {
  method: string;
  /** Matched against the request path. */
  path: RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

function blobSha(text: string): string {
  return createHash("sha1").update(`blob ${Buffer.byteLength(text)}\0${text}`).digest("hex");
}

/** GitHub sends base64 in lines of 60 characters. */
function base64Lines(text: string): string {
  return (Buffer.from(text, "utf8").toString("base64").match(/.{1,60}/g) ?? []).join("\n") + "\n";
}

export class FakeGitHub {
  branches = new Map<string, string>([["main", "c0ffee0000000000000000000000000000000000"]]);
  files = new Map<string, { text: string; sha: string }>();
  requests: string[] = [];
  puts: Array<{ sha?: string; branch: string; message: string }> = [];
  faults: Fault[] = [];
  /** Files larger than this come without inline content (GitHub: 1 MB). */
  inlineLimit = 1_000_000;
  /** Called before a PUT is applied; may change the state or wait. */
  beforePut: (() => Promise<void> | void) | null = null;
  private commits = 0;

  constructor(readonly historyBranch = "sam-fitness-history", readonly path = "fitness-history.json") {}

  key(branch: string): string {
    return `${branch}:${this.path}`;
  }

  historyText(): string | undefined {
    return this.files.get(this.key(this.historyBranch))?.text;
  }

  setHistory(text: string): void {
    this.files.set(this.key(this.historyBranch), { text, sha: blobSha(text) });
    if (!this.branches.has(this.historyBranch)) this.branches.set(this.historyBranch, this.newCommit());
  }

  private newCommit(): string {
    this.commits++;
    return createHash("sha1").update(`commit ${this.commits}`).digest("hex");
  }

  install(): nock.Scope {
    const scope = nock(API).persist();
    for (const method of ["get", "put", "post"] as const) {
      scope[method](/.*/).reply(async (uri: string, body: unknown) => {
        const reply = await this.handle(method.toUpperCase(), uri, body);
        return [reply.status, reply.body === undefined ? "" : JSON.stringify(reply.body), { "content-type": "application/json", ...reply.headers }];
      });
    }
    return scope;
  }

  private async handle(method: string, uri: string, rawBody: unknown): Promise<Reply> {
    const url = new URL(uri, API);
    const path = decodeURIComponent(url.pathname.replace("/api/v3", ""));
    this.requests.push(`${method} ${path}${url.search}`);
    const fault = this.faults.findIndex((f) => f.method === method && f.path.test(path));
    if (fault >= 0) {
      const [f] = this.faults.splice(fault, 1);
      return { status: f?.status ?? 500, body: f?.body ?? { message: "fault" }, headers: f?.headers ?? {} };
    }
    const body = (typeof rawBody === "string" ? JSON.parse(rawBody || "{}") : rawBody ?? {}) as Record<string, string>;
    if (method === "GET" && path === REPO) return { status: 200, body: { default_branch: "main" } };
    const ref = /^\/repos\/octo\/app\/git\/ref\/heads\/(.+)$/.exec(path);
    if (method === "GET" && ref) {
      const sha = this.branches.get(ref[1] ?? "");
      return sha ? { status: 200, body: { ref: `refs/heads/${ref[1]}`, object: { sha, type: "commit" } } } : { status: 404, body: { message: "Not Found" } };
    }
    if (method === "POST" && path === `${REPO}/git/refs`) {
      const name = (body["ref"] ?? "").replace(/^refs\/heads\//, "");
      if (this.branches.has(name)) return { status: 422, body: { message: "Reference already exists" } };
      const base = [...this.branches.values()].includes(body["sha"] ?? "");
      if (!base) return { status: 422, body: { message: "Object does not exist" } };
      this.branches.set(name, body["sha"] ?? "");
      return { status: 201, body: { ref: body["ref"], object: { sha: body["sha"] } } };
    }
    const blob = /^\/repos\/octo\/app\/git\/blobs\/([0-9a-f]+)$/.exec(path);
    if (method === "GET" && blob) {
      const file = [...this.files.values()].find((f) => f.sha === blob[1]);
      return file ? { status: 200, body: { sha: file.sha, encoding: "base64", content: base64Lines(file.text) } } : { status: 404, body: { message: "Not Found" } };
    }
    if (path === `${REPO}/contents/${this.path}`) {
      if (method === "GET") {
        const branch = url.searchParams.get("ref") ?? "main";
        if (!this.branches.has(branch)) return { status: 404, body: { message: `No commit found for the ref ${branch}` } };
        const file = this.files.get(this.key(branch));
        if (!file) return { status: 404, body: { message: "Not Found" } };
        const size = Buffer.byteLength(file.text);
        const inline = size <= this.inlineLimit;
        return {
          status: 200,
          body: { type: "file", name: this.path, path: this.path, sha: file.sha, size, encoding: inline ? "base64" : "none", content: inline ? base64Lines(file.text) : "" },
        };
      }
      if (method === "PUT") {
        await this.beforePut?.();
        const branch = body["branch"] ?? "main";
        this.puts.push({ sha: body["sha"], branch, message: body["message"] ?? "" });
        if (!this.branches.has(branch)) return { status: 404, body: { message: `Branch ${branch} not found` } };
        const current = this.files.get(this.key(branch));
        if (current && body["sha"] === undefined) return { status: 422, body: { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' } };
        if ((current && body["sha"] !== current.sha) || (!current && body["sha"] !== undefined)) {
          return { status: 409, body: { message: `${this.path} does not match ${body["sha"]}` } };
        }
        const text = Buffer.from(body["content"] ?? "", "base64").toString("utf8");
        const sha = blobSha(text);
        this.files.set(this.key(branch), { text, sha });
        const commit = this.newCommit();
        this.branches.set(branch, commit);
        return { status: current ? 200 : 201, body: { content: { sha, path: this.path }, commit: { sha: commit } } };
      }
    }
    return { status: 404, body: { message: `fake has no ${method} ${path}` } };
  }
}
