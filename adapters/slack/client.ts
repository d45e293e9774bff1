import type { webApi } from '@slack/bolt';
import { DeliveryError } from '../../src/core/adapter.ts';
import type { Logger } from '../../src/core/logger.ts';

type WebClient = webApi.WebClient;

export interface RetryPolicy {
  /** attempts in all, the first included */
  attempts: number;
  /** a rate limit asking for longer than this is handed back (DeliveryError with retryAfterMs) */
  maxInlineWaitMs: number;
  /** first backoff after a 5xx or a dropped connection; doubles each time */
  backoffMs: number;
}

export const defaultPolicy: RetryPolicy = { attempts: 4, maxInlineWaitMs: 10_000, backoffMs: 300 };

/** Slack's platform errors that will not get better by trying again. */
const TRANSIENT = new Set(['ratelimited', 'fatal_error', 'internal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);

interface SlackApiError extends Error {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  data?: { error?: string };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls Slack with our own retry rules (the WebClient's are switched off): a 429 waits out its
 * Retry-After, a 5xx or a dropped connection backs off and tries again, and what still fails
 * becomes a DeliveryError the core understands (retry later, or give up for good).
 */
export class SlackCaller {
  constructor(
    readonly client: WebClient,
    private readonly log: Logger,
    readonly policy: RetryPolicy = defaultPolicy,
  ) {}

  async call<T = Record<string, unknown>>(method: string, args: Record<string, unknown>): Promise<T> {
    return this.withRetries(method, () => this.client.apiCall(method, args) as Promise<T>);
  }

  /** Posts to a response_url (slash commands and interactions answer there after the ack). */
  async respond(url: string, body: Record<string, unknown>): Promise<void> {
    await this.withRetries('response_url', async () => {
      let res: Response;
      try {
        res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) });
      } catch (err) {
        throw Object.assign(new Error(`response_url: ${(err as Error).message}`), { code: 'slack_webapi_request_error' });
      }
      const text = await res.text();
      if (res.status === 429) {
        const retryAfter = Number.parseInt(res.headers.get('retry-after') ?? '', 10);
        throw Object.assign(new Error('response_url rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: Number.isNaN(retryAfter) ? 1 : retryAfter });
      }
      if (res.status !== 200) throw Object.assign(new Error(`response_url answered ${res.status}`), { code: 'slack_webapi_http_error', statusCode: res.status });
      try {
        const json = JSON.parse(text) as { ok?: boolean; error?: string };
        if (json.ok === false) throw Object.assign(new Error(`response_url: ${json.error}`), { code: 'slack_webapi_platform_error', data: json });
      } catch (err) {
        if ((err as SlackApiError).code) throw err;
        // Slack answers plain "ok" on success
      }
    });
  }

  private async withRetries<T>(what: string, run: () => Promise<T>): Promise<T> {
    const { attempts, maxInlineWaitMs, backoffMs } = this.policy;
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (raw) {
        const err = raw as SlackApiError;
        const { wait, permanent, retryAfterMs } = classify(err, backoffMs * 2 ** (attempt - 1));
        const message = `${what}: ${describe(err)}`;
        if (permanent) throw new DeliveryError(message, undefined, true);
        if (attempt >= attempts || wait > maxInlineWaitMs) throw new DeliveryError(message, retryAfterMs ?? wait);
        this.log.warn('slack call will be retried', { method: what, attempt, retryInMs: wait, error: describe(err) });
        await sleep(wait);
      }
    }
  }
}

function classify(err: SlackApiError, backoff: number): { wait: number; permanent: boolean; retryAfterMs?: number } {
  switch (err.code) {
    case 'slack_webapi_rate_limited_error': {
      const ms = Math.max(0, (err.retryAfter ?? 1) * 1000);
      return { wait: ms, permanent: false, retryAfterMs: ms };
    }
    case 'slack_webapi_http_error':
      return { wait: backoff, permanent: (err.statusCode ?? 500) < 500 };
    case 'slack_webapi_request_error':
      return { wait: backoff, permanent: false };
    case 'slack_webapi_platform_error':
      return { wait: backoff, permanent: !TRANSIENT.has(err.data?.error ?? '') };
    default:
      return { wait: backoff, permanent: false };
  }
}

function describe(err: SlackApiError): string {
  if (err.code === 'slack_webapi_platform_error') return err.data?.error ?? err.message;
  if (err.code === 'slack_webapi_http_error') return `HTTP ${err.statusCode}`;
  if (err.code === 'slack_webapi_rate_limited_error') return `rate limited, retry after ${err.retryAfter}s`;
  return err.message;
}
