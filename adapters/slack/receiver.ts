import { HTTPModuleFunctions as httpFunc, HTTPResponseAck, type App, type Receiver } from '@slack/bolt';
import type { Logger as SlackLogger } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebRoutes } from '../../src/web/server.ts';

/**
 * Bolt's HTTP receiving, mounted on the bot's own web server at /slack/events instead of a second
 * port: Fastify reads the raw body (within its limit: 413 past it), Bolt's functions check the
 * signature (v0 HMAC of the raw body, 5-minute window) and parse it; the listeners ack at once and
 * do their work after the response has gone.
 */
export class RouteReceiver implements Receiver {
  private app: App | undefined;

  constructor(
    private readonly signingSecret: string,
    private readonly logger: SlackLogger,
    readonly path = '/slack/events',
  ) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** A Fastify plugin: POST /slack/events, its body kept raw for the signature check. */
  route(): WebRoutes {
    return async (app) => {
      // in this plugin only: every content type (JSON events, form-encoded commands) as raw bytes
      app.removeAllContentTypeParsers();
      app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: httpFunc.defaultBodyLimit }, (_req, body, done) => done(null, body));
      app.post(this.path, async (request, reply) => {
        reply.hijack();
        const req = Object.assign(request.raw, { rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0) });
        await this.handle(req, reply.raw);
      });
    };
  }

  private async handle(req: IncomingMessage & { rawBody: Buffer }, res: ServerResponse): Promise<void> {
    let buffered;
    try {
      buffered = await httpFunc.parseAndVerifyHTTPRequest({ enabled: true, signingSecret: this.signingSecret, logger: this.logger }, req);
    } catch (err) {
      this.logger.warn(`slack request refused: ${(err as Error).message}`);
      return httpFunc.buildNoBodyResponse(res, 401);
    }
    let body;
    try {
      body = httpFunc.parseHTTPRequestBody(buffered);
    } catch {
      return httpFunc.buildNoBodyResponse(res, 400);
    }
    if (body.ssl_check === '1') return httpFunc.buildSSLCheckResponse(res);
    if (body.type === 'url_verification') return httpFunc.buildUrlVerificationResponse(res, body);
    if (!this.app) return httpFunc.buildNoBodyResponse(res, 503);
    const ack = new HTTPResponseAck({ logger: this.logger, processBeforeResponse: false, httpRequest: buffered, httpRequestBody: body, httpResponse: res });
    try {
      await this.app.processEvent({
        body,
        ack: ack.bind(),
        retryNum: httpFunc.extractRetryNumFromHTTPRequest(req),
        retryReason: httpFunc.extractRetryReasonFromHTTPRequest(req),
      });
    } catch (error) {
      const handled = await httpFunc.defaultProcessEventErrorHandler({ error: error as Error, logger: this.logger, request: req, response: res, storedResponse: ack.storedResponse });
      if (handled) ack.ack();
    }
  }
}
