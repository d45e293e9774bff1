import crypto from 'node:crypto';
import { DiscordAPIError, HTTPError, RateLimitError, type REST } from 'discord.js';
import { DeliveryError } from '../../src/core/adapter.ts';
import type { Logger } from '../../src/core/logger.ts';
import type { DiscordMessage } from './render.ts';

/**
 * Discord's REST calls the adapter makes, through discord.js's REST client. The client itself
 * waits out a 429 for its Retry-After (and hands a long one back as a RateLimitError); a 5xx or a
 * dropped connection is retried here with exponential backoff.
 */
export interface RetryPolicy {
  attempts: number;
  baseMs: number;
}

export const isTransient = (err: unknown): boolean =>
  (err instanceof HTTPError && err.status >= 500) ||
  (err instanceof Error && !(err instanceof DiscordAPIError) && !(err instanceof RateLimitError) && /fetch failed|ECONNRESET|ECONNREFUSED|socket|aborted|timeout/i.test(`${err.name} ${err.message} ${String((err as { cause?: unknown }).cause ?? '')}`));

export async function withRetry<T>(what: string, policy: RetryPolicy, log: Logger, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isTransient(err) || attempt >= policy.attempts) throw err;
      const wait = policy.baseMs * 2 ** (attempt - 1);
      log.warn('discord call will be retried', { call: what, attempt, retryInMs: wait, error: (err as Error).message });
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** What the core's BroadcastService should do with a failed send. */
export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof RateLimitError) return new DeliveryError(`discord rate limited on ${err.route}`, err.retryAfter);
  if (isTransient(err)) return new DeliveryError(`discord unavailable: ${(err as Error).message}`);
  if (err instanceof DiscordAPIError) return new DeliveryError(`discord refused (${err.status} ${err.code}): ${err.message}`, undefined, err.status !== 429);
  return new DeliveryError(String((err as Error)?.message ?? err));
}

/** A nonce Discord dedupes for a few minutes (at most 25 characters): one per message part of a delivery. */
export const nonceFor = (key: string, part: number) => crypto.createHash('sha256').update(`${key}:${part}`).digest('base64url').slice(0, 25);

export class DiscordRest {
  private readonly dmChannels = new Map<string, string>();

  constructor(
    readonly rest: REST,
    readonly applicationId: string,
    private readonly policy: RetryPolicy,
    private readonly log: Logger,
  ) {}

  private call<T>(what: string, fn: () => Promise<unknown>): Promise<T> {
    return withRetry(what, this.policy, this.log, fn) as Promise<T>;
  }

  callback(id: string, token: string, body: { type: number; data?: unknown }): Promise<void> {
    return this.call('interaction callback', () => this.rest.post(`/interactions/${id}/${token}/callback`, { body, auth: false }));
  }

  followUp(token: string, message: DiscordMessage): Promise<{ id: string }> {
    return this.call('follow-up', () => this.rest.post(`/webhooks/${this.applicationId}/${token}`, { body: message, auth: false }));
  }

  editOriginal(token: string, message: DiscordMessage): Promise<void> {
    return this.call('edit reply', () => this.rest.patch(`/webhooks/${this.applicationId}/${token}/messages/@original`, { body: message, auth: false }));
  }

  deleteOriginal(token: string): Promise<void> {
    return this.call('delete reply', () => this.rest.delete(`/webhooks/${this.applicationId}/${token}/messages/@original`, { auth: false }));
  }

  async dmChannel(userId: string): Promise<string> {
    const known = this.dmChannels.get(userId);
    if (known) return known;
    const channel = await this.call<{ id: string }>('open DM', () => this.rest.post('/users/@me/channels', { body: { recipient_id: userId } }));
    this.dmChannels.set(userId, channel.id);
    return channel.id;
  }

  postMessage(channelId: string, message: DiscordMessage, nonce?: string): Promise<{ id: string }> {
    const body = nonce ? { ...message, nonce, enforce_nonce: true } : message;
    return this.call('post message', () => this.rest.post(`/channels/${channelId}/messages`, { body }));
  }

  registerCommands(commands: unknown[], guildId?: string): Promise<unknown[]> {
    const path = guildId ? `/applications/${this.applicationId}/guilds/${guildId}/commands` : `/applications/${this.applicationId}/commands`;
    return this.call('register commands', () => this.rest.put(path as `/${string}`, { body: commands }));
  }
}
