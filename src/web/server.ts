import http from 'node:http';
import type { Logger } from '../core/logger.ts';

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<void> | void;

export interface Route {
  method: string;
  /** exact path, or a prefix ending in "/*" */
  path: string;
  handler: RouteHandler;
}

/** A small HTTP server adapters and features add routes to (web chat, webhooks, feeds, health). */
export class WebServer {
  private readonly routes: Route[] = [];
  private server: http.Server | undefined;

  constructor(private readonly log: Logger) {}

  add(...routes: Route[]): void {
    this.routes.push(...routes);
  }

  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    this.server = http.createServer((req, res) => void this.dispatch(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    const addr = this.server.address();
    return typeof addr === 'object' && addr ? addr.port : port;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = this.routes.find(
      (r) => r.method === req.method && (r.path === url.pathname || (r.path.endsWith('/*') && url.pathname.startsWith(r.path.slice(0, -1)))),
    );
    try {
      if (!route) return sendJson(res, 404, { error: 'not found' });
      await route.handler(req, res, url);
    } catch (err) {
      this.log.error('http handler failed', { path: url.pathname, error: String((err as Error)?.stack ?? err) });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.end();
    }
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

/** Reads a request body, refusing anything over `limit` bytes. */
export async function readBody(req: http.IncomingMessage, limit = 256 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw Object.assign(new Error('body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
