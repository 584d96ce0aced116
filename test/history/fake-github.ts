/**
 * A small stateful stand-in for the parts of the GitHub REST API the history
 * branch uses (contents, git refs, blobs, trees, commits), served through
 * nock. It keeps real git objects: blobs by SHA, trees as path -> blob SHA,
 * commits with their parents, branches pointing at commits. It enforces the
 * blob SHA on contents writes like GitHub does, so concurrent writers really
 * conflict, and refuses a ref that already exists. Faults can be queued to
 * answer a request before the fake.
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

export interface FakeCommit {
  /** Path -> blob SHA. */
  tree: Map<string, string>;
  parents: string[];
  message: string;
}

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

function blobSha(text: string): string {
  return createHash("sha1").update(`blob ${Buffer.byteLength(text)}\0${text}`).digest("hex");
}

/** GitHub sends base64 in lines of 60 characters. */
function base64Lines(text: string): string {
  return (Buffer.from(text, "utf8").toString("base64").match(/.{1,60}/g) ?? []).join("\n") + "\n";
}

export class FakeGitHub {
  blobs = new Map<string, string>();
  trees = new Map<string, Map<string, string>>();
  commits = new Map<string, FakeCommit>();
  branches = new Map<string, string>();
  requests: string[] = [];
  puts: Array<{ sha?: string; branch: string; message: string }> = [];
  /** Bodies of POST /git/trees, to check how trees were made. */
  treePosts: Array<Record<string, unknown>> = [];
  faults: Fault[] = [];
  /** Files larger than this come without inline content (GitHub: 1 MB). */
  inlineLimit = 1_000_000;
  /** Called before a PUT is applied; may change the state or wait. */
  beforePut: (() => Promise<void> | void) | null = null;
  /** When set, every PUT is refused with this answer (branch protection, a ruleset). */
  refusePut: { status: number; message: string } | null = null;
  /** Called before a POST /git/refs is applied; may wait. */
  beforeRef: (() => Promise<void> | void) | null = null;
  private counter = 0;

  constructor(readonly historyBranch = "sam-fitness-history", readonly path = "fitness-history.json") {
    // The default branch holds the application, which must never reach the history branch.
    const tree = new Map([
      ["template.yaml", this.addBlob("Resources: {}\n")],
      ["README.md", this.addBlob("# app\n")],
    ]);
    this.branches.set("main", this.addCommit(tree, [], "initial commit"));
  }

  private addBlob(text: string): string {
    const sha = blobSha(text);
    this.blobs.set(sha, text);
    return sha;
  }

  private addTree(entries: Map<string, string>): string {
    const sha = sha1(`tree ${JSON.stringify([...entries].sort())}`);
    this.trees.set(sha, new Map(entries));
    return sha;
  }

  private addCommit(tree: Map<string, string>, parents: string[], message: string): string {
    this.counter++;
    const sha = sha1(`commit ${this.counter} ${message}`);
    this.commits.set(sha, { tree: new Map(tree), parents, message });
    return sha;
  }

  /** The file at `path` on a branch, or undefined. */
  fileOn(branch: string): { text: string; sha: string } | undefined {
    const head = this.branches.get(branch);
    const sha = head === undefined ? undefined : this.commits.get(head)?.tree.get(this.path);
    const text = sha === undefined ? undefined : this.blobs.get(sha);
    return sha === undefined || text === undefined ? undefined : { text, sha };
  }

  historyText(): string | undefined {
    return this.fileOn(this.historyBranch)?.text;
  }

  historySha(): string | undefined {
    return this.fileOn(this.historyBranch)?.sha;
  }

  /** The commits of a branch from its head back to its root, following first parents. */
  log(branch: string): FakeCommit[] {
    const chain: FakeCommit[] = [];
    for (let sha = this.branches.get(branch); sha !== undefined; ) {
      const commit = this.commits.get(sha);
      if (!commit) break;
      chain.push(commit);
      sha = commit.parents[0];
    }
    return chain;
  }

  /** Writes the history file on the history branch as another run would (creating the branch when missing). */
  setHistory(text: string): void {
    const head = this.branches.get(this.historyBranch);
    const tree = new Map(head === undefined ? [] : this.commits.get(head)?.tree ?? []);
    tree.set(this.path, this.addBlob(text));
    this.branches.set(this.historyBranch, this.addCommit(tree, head === undefined ? [] : [head], "another run [skip ci]"));
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
    const body = (typeof rawBody === "string" ? JSON.parse(rawBody || "{}") : rawBody ?? {}) as Record<string, unknown>;
    const text = (key: string): string => (typeof body[key] === "string" ? (body[key] as string) : "");
    if (method === "GET" && path === REPO) return { status: 200, body: { default_branch: "main" } };
    const ref = /^\/repos\/octo\/app\/git\/ref\/heads\/(.+)$/.exec(path);
    if (method === "GET" && ref) {
      const sha = this.branches.get(ref[1] ?? "");
      return sha ? { status: 200, body: { ref: `refs/heads/${ref[1]}`, object: { sha, type: "commit" } } } : { status: 404, body: { message: "Not Found" } };
    }
    if (method === "POST" && path === `${REPO}/git/refs`) {
      await this.beforeRef?.();
      const name = text("ref").replace(/^refs\/heads\//, "");
      if (this.branches.has(name)) return { status: 422, body: { message: "Reference already exists" } };
      if (!this.commits.has(text("sha"))) return { status: 422, body: { message: "Object does not exist" } };
      this.branches.set(name, text("sha"));
      return { status: 201, body: { ref: text("ref"), object: { sha: text("sha"), type: "commit" } } };
    }
    if (method === "POST" && path === `${REPO}/git/blobs`) {
      const content = body["encoding"] === "base64" ? Buffer.from(text("content"), "base64").toString("utf8") : text("content");
      return { status: 201, body: { sha: this.addBlob(content) } };
    }
    if (method === "POST" && path === `${REPO}/git/trees`) {
      this.treePosts.push(body);
      const base = typeof body["base_tree"] === "string" ? this.trees.get(body["base_tree"]) : undefined;
      if (body["base_tree"] !== undefined && !base) return { status: 422, body: { message: "Invalid base_tree" } };
      const entries = new Map(base ?? []);
      for (const entry of Array.isArray(body["tree"]) ? (body["tree"] as Array<Record<string, unknown>>) : []) {
        const sha = typeof entry["sha"] === "string" ? entry["sha"] : "";
        if (entry["mode"] !== "100644" || entry["type"] !== "blob" || !this.blobs.has(sha) || typeof entry["path"] !== "string") {
          return { status: 422, body: { message: "Invalid tree info" } };
        }
        entries.set(entry["path"], sha);
      }
      return { status: 201, body: { sha: this.addTree(entries) } };
    }
    if (method === "POST" && path === `${REPO}/git/commits`) {
      const tree = this.trees.get(text("tree"));
      const parents = Array.isArray(body["parents"]) ? (body["parents"] as string[]) : [];
      if (!tree || parents.some((p) => !this.commits.has(p))) return { status: 422, body: { message: "Tree or parent does not exist" } };
      return { status: 201, body: { sha: this.addCommit(tree, parents, text("message")), parents: parents.map((sha) => ({ sha })) } };
    }
    const blob = /^\/repos\/octo\/app\/git\/blobs\/([0-9a-f]+)$/.exec(path);
    if (method === "GET" && blob) {
      const content = this.blobs.get(blob[1] ?? "");
      return content !== undefined
        ? { status: 200, body: { sha: blob[1], encoding: "base64", content: base64Lines(content) } }
        : { status: 404, body: { message: "Not Found" } };
    }
    if (path === `${REPO}/contents/${this.path}`) {
      if (method === "GET") {
        const branch = url.searchParams.get("ref") ?? "main";
        if (!this.branches.has(branch)) return { status: 404, body: { message: `No commit found for the ref ${branch}` } };
        const file = this.fileOn(branch);
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
        if (this.refusePut) {
          this.puts.push({ sha: typeof body["sha"] === "string" ? body["sha"] : undefined, branch: text("branch"), message: text("message") });
          return { status: this.refusePut.status, body: { message: this.refusePut.message } };
        }
        const branch = text("branch") || "main";
        const sent = typeof body["sha"] === "string" ? body["sha"] : undefined;
        this.puts.push({ sha: sent, branch, message: text("message") });
        const head = this.branches.get(branch);
        if (head === undefined) return { status: 404, body: { message: `Branch ${branch} not found` } };
        const current = this.fileOn(branch);
        if (current && sent === undefined) return { status: 422, body: { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' } };
        if ((current && sent !== current.sha) || (!current && sent !== undefined)) {
          return { status: 409, body: { message: `${this.path} does not match ${sent}` } };
        }
        const tree = new Map(this.commits.get(head)?.tree ?? []);
        const sha = this.addBlob(Buffer.from(text("content"), "base64").toString("utf8"));
        tree.set(this.path, sha);
        const commit = this.addCommit(tree, [head], text("message"));
        this.branches.set(branch, commit);
        return { status: current ? 200 : 201, body: { content: { sha, path: this.path }, commit: { sha: commit } } };
      }
    }
    return { status: 404, body: { message: `fake has no ${method} ${path}` } };
  }
}
