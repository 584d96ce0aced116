/**
 * A small stand-in for the GitHub API on 127.0.0.1, for running the built
 * action as a child process: it answers the endpoints the action uses, keeps
 * issue comments in memory, and records every request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface StoredComment {
  id: number;
  node_id: string;
  body: string;
  html_url: string;
  user: { login: string; type: string };
  minimized: boolean;
}

export interface FakeGitHubOptions {
  owner: string;
  repo: string;
  pullNumber: number;
  pullFiles: { filename: string; status: string; previous_filename?: string }[];
  /** Answer 403 to comment writes (a fork PR's read-only token). */
  readOnly?: boolean;
  /** The PR's head for `GET /repos/{owner}/{repo}/pulls/{number}` (404 without). */
  pullHead?: { sha: string; repo: string };
}

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly comments: StoredComment[] = [];
  private nextId = 1000;
  private server: Server | null = null;
  url = "";

  constructor(readonly options: FakeGitHubOptions) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", this.url);
    const body = text ? (JSON.parse(text) as unknown) : null;
    this.requests.push({ method: req.method ?? "", path: url.pathname, authorization: req.headers.authorization, body });
    const reply = (status: number, data?: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(data === undefined ? "" : JSON.stringify(data));
    };
    const { owner, repo, pullNumber } = this.options;
    const repoPath = `/repos/${owner}/${repo}`;
    const commentMatch = new RegExp(`^${repoPath}/issues/comments/(\\d+)$`).exec(url.pathname);

    if (req.method === "GET" && url.pathname === "/user") return reply(403, { message: "Resource not accessible by integration" });
    if (req.method === "GET" && url.pathname === `${repoPath}/pulls/${pullNumber}`) {
      const head = this.options.pullHead;
      if (!head) return reply(404, { message: "Not Found" });
      return reply(200, { number: pullNumber, state: "open", head: { sha: head.sha, ref: "feature", repo: { full_name: head.repo } } });
    }
    if (req.method === "GET" && url.pathname === `${repoPath}/pulls/${pullNumber}/files`) return reply(200, this.options.pullFiles);
    if (url.pathname === `${repoPath}/issues/${pullNumber}/comments`) {
      if (req.method === "GET") return reply(200, this.comments.map(({ minimized: _m, ...c }) => c));
      if (req.method === "POST") {
        if (this.options.readOnly) return reply(403, { message: "Resource not accessible by integration" });
        const id = this.nextId++;
        const comment: StoredComment = {
          id,
          node_id: `IC_${id}`,
          body: (body as { body: string }).body,
          html_url: `https://github.com/${owner}/${repo}/pull/${pullNumber}#issuecomment-${id}`,
          user: { login: "github-actions[bot]", type: "Bot" },
          minimized: false,
        };
        this.comments.push(comment);
        return reply(201, comment);
      }
    }
    if (commentMatch) {
      const comment = this.comments.find((c) => c.id === Number(commentMatch[1]));
      if (!comment) return reply(404, { message: "Not Found" });
      if (req.method === "GET") return reply(200, comment);
      if (req.method === "PATCH") {
        if (this.options.readOnly) return reply(403, { message: "Resource not accessible by integration" });
        comment.body = (body as { body: string }).body;
        return reply(200, comment);
      }
      if (req.method === "DELETE") {
        this.comments.splice(this.comments.indexOf(comment), 1);
        return reply(204);
      }
    }
    if (req.method === "POST" && url.pathname === "/graphql") {
      const id = (body as { variables?: { id?: string } }).variables?.id;
      const comment = this.comments.find((c) => c.node_id === id);
      if (comment) comment.minimized = true;
      return reply(200, { data: { minimizeComment: { minimizedComment: { isMinimized: true } } } });
    }
    return reply(404, { message: `Not Found (${req.method} ${url.pathname})` });
  }
}
