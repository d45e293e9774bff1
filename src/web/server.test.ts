import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../core/logger.ts';
import { WebServer, type WebRoutes } from './server.ts';

/** The server's own answers to bad input, over real HTTP: 413, 400, 415, 404, never a 500. */
let server: WebServer;
let base: string;
const failures: string[] = [];

beforeAll(async () => {
  const log = createLogger('error');
  server = new WebServer({ ...log, error: (msg: string) => failures.push(msg) } as typeof log);
  const echo: WebRoutes = async (app) => {
    app.post('/echo', async (req) => ({ got: req.body }));
    app.get('/q', async (req, reply) => {
      const q = z.object({ room: z.string().regex(/^[\w.-]{1,64}$/) }).safeParse(req.query);
      return q.success ? { room: q.data.room } : reply.code(400).send({ error: 'bad room' });
    });
    app.get('/boom', async () => {
      throw new Error('a fault of ours');
    });
  };
  server.add(echo);
  base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
});
afterAll(() => server.close());

const post = (body: string, type = 'application/json') => fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': type }, body });

describe('web server', () => {
  it('answers JSON with strict security headers', async () => {
    const res = await post('{"a":1}');
    expect([res.status, await res.json()]).toEqual([200, { got: { a: 1 } }]);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('a body over the limit is 413, with a bilingual answer', async () => {
    const res = await post(JSON.stringify({ text: 'x'.repeat(10 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: string; errorCy: string };
    expect(body.error).toMatch(/too large/);
    expect(body.errorCy).toMatch(/rhy fawr/);
  });

  it('malformed JSON is 400 saying what to fix; a text/plain body is refused', async () => {
    for (const bad of ['{not json', '', '{"a":', '\u0000']) {
      const res = await post(bad);
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toMatch(/must be JSON/);
    }
    const plain = await post('{"a":1}', 'text/plain');
    expect(plain.status).toBe(415);
  });

  it('unknown paths are 404, a NUL byte in a query is 400, and only faults of ours are 500 (logged, not shown)', async () => {
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    expect((await fetch(`${base}/q?room=a%00b`)).status).toBe(400);
    expect((await fetch(`${base}/q?room=general`)).status).toBe(200);
    const boom = await fetch(`${base}/boom`);
    expect(boom.status).toBe(500);
    expect(JSON.stringify(await boom.json())).not.toContain('a fault of ours');
    expect(failures).toEqual(['http handler failed']);
  });
});
