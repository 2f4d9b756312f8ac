// A local stand-in for the Hugging Face Hub on 127.0.0.1, with the Hub's URL layout
// (/{org}/{name}/resolve/{revision}/{file}), its X-Error-Code headers, a redirect of weight files to
// a CDN path (as the Hub sends LFS files elsewhere), byte ranges, gated repos and a repo whose server
// ignores Range. Weight files are a header followed by zeros that are never materialised.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { safetensorsHeader, type TensorSpec } from './write.js';

export interface HubFile {
  /** the file's first bytes; the rest of `size` is zeros */
  head: Buffer;
  size: number;
}

export interface HubRepo {
  files: Record<string, HubFile>;
  /** revisions served (default: main) */
  revisions?: string[];
  /** the bearer token the repo needs (a gated or private repo) */
  token?: string;
  /** answer every request with the whole file, as a server without Range support does */
  ignoreRange?: boolean;
  /** never answer (for timeouts) */
  hang?: boolean;
}

export const jsonFile = (value: unknown): HubFile => {
  const head = Buffer.from(JSON.stringify(value));
  return { head, size: head.length };
};

export function safetensorsFile(tensors: TensorSpec[]): HubFile {
  const { head, dataBytes } = safetensorsHeader(tensors);
  return { head, size: head.length + dataBytes };
}

export interface HubLog {
  method: string;
  url: string;
  range?: string;
  auth?: string;
  status: number;
}

export class FakeHub {
  readonly log: HubLog[] = [];
  /** bytes written in bodies, per URL */
  readonly sent = new Map<string, number>();
  private server?: Server;
  constructor(readonly repos: Record<string, HubRepo>) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((ok) => s.close(() => ok()));
    this.server = undefined;
  }

  private answer(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    headers: Record<string, string> = {},
    body?: Buffer,
  ) {
    this.log.push({
      method: req.method ?? '',
      url: req.url ?? '',
      range: req.headers.range,
      auth: req.headers.authorization,
      status,
    });
    res.writeHead(status, headers);
    res.end(body);
    return true;
  }

  private handle(req: IncomingMessage, res: ServerResponse): unknown {
    const url = decodeURIComponent(req.url ?? '');
    const cdn = /^\/cdn(\/.*)$/.exec(url);
    const m = /^\/([^/]+\/[^/]+)\/resolve\/(.+?)\/([^/]+)$/.exec(cdn ? cdn[1]! : url);
    if (!m) return this.answer(req, res, 404, { 'x-error-code': 'RepoNotFound' });
    const [, repoId, revision, file] = m as unknown as [string, string, string, string];
    const repo = this.repos[repoId];
    if (!repo) return this.answer(req, res, 401, { 'x-error-code': 'RepoNotFound' });
    if (repo.hang) return; // never answers
    if (repo.token && req.headers.authorization !== `Bearer ${repo.token}`) {
      return this.answer(req, res, 401, { 'x-error-code': 'GatedRepo' });
    }
    if (!(repo.revisions ?? ['main']).includes(revision))
      return this.answer(req, res, 404, { 'x-error-code': 'RevisionNotFound' });
    const f = repo.files[file];
    if (!f) return this.answer(req, res, 404, { 'x-error-code': 'EntryNotFound' });
    // weight files live on the CDN: the Hub redirects there, and a client follows with its Range
    if (file.endsWith('.safetensors') && !cdn) return this.answer(req, res, 302, { location: `/cdn${req.url}` });
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (range && !repo.ignoreRange) {
      const start = Number(range[1]);
      const end = Math.min(Number(range[2]), f.size - 1);
      if (start >= f.size) return this.answer(req, res, 416, { 'content-range': `bytes */${f.size}` });
      const body = Buffer.alloc(end - start + 1);
      f.head.copy(body, 0, start, Math.min(end + 1, f.head.length));
      this.count(req, body.length);
      return this.answer(
        req,
        res,
        206,
        { 'content-range': `bytes ${start}-${end}/${f.size}`, 'content-length': String(body.length) },
        body,
      );
    }
    // the whole file, streamed with backpressure until the client goes away
    this.log.push({
      method: req.method ?? '',
      url: req.url ?? '',
      range: req.headers.range,
      auth: req.headers.authorization,
      status: 200,
    });
    res.writeHead(200, { 'content-length': String(f.size) });
    let at = 0;
    const chunk = Buffer.alloc(1 << 16);
    const pump = () => {
      while (at < f.size) {
        const part =
          at < f.head.length
            ? f.head.subarray(at, Math.min(f.head.length, at + chunk.length))
            : chunk.subarray(0, Math.min(chunk.length, f.size - at));
        at += part.length;
        this.count(req, part.length);
        if (!res.write(part)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => {
      at = f.size; // stop pumping once the client is gone
    });
    pump();
  }

  private count(req: IncomingMessage, n: number): void {
    this.sent.set(req.url ?? '', (this.sent.get(req.url ?? '') ?? 0) + n);
  }
}
