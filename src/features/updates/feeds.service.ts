import type { BotServices } from '../../core/context.ts';
import type { Db } from '../../db/client.ts';
import { Prisma, type UpdateFeed } from '../../generated/prisma/client.ts';
import { FeedError, feedProblems, parseFeed, type FeedItem } from './feed-parse.ts';
import { DAY_MS, FEED_INTERVAL_MS, feedBackoffMs, LIMITS } from './rules.ts';
import { announceUpdate, storeUpdate } from './updates.service.ts';

const MAX_FEED_BYTES = 2 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

export async function addFeed(db: Db, forumId: string, input: { url: string; label?: string; themes: string[] }, now: Date) {
  return db.updateFeed.upsert({
    where: { forumId_url: { forumId, url: input.url } },
    create: { forumId, url: input.url, label: input.label ?? null, themes: input.themes, nextPollAt: now },
    update: { label: input.label ?? undefined, themes: input.themes, nextPollAt: now, failures: 0 },
  });
}

/** The feed's bytes and content type: the parser decodes them by the charset the feed declares. */
async function fetchFeed(url: string): Promise<{ bytes: Uint8Array; contentType: string | null }> {
  let res: Response;
  try {
    res = await fetch(url, {
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      headers: { accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1', 'user-agent': 'forumbot' },
      redirect: 'follow',
    });
  } catch (err) {
    throw requestFailure(err);
  }
  if (!res.ok) throw new FeedError(`HTTP ${res.status}`, feedProblems.http(res.status));
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_FEED_BYTES) throw new FeedError(`feed too large (${length} bytes)`, feedProblems.tooLarge);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    throw requestFailure(err);
  }
  if (bytes.length > MAX_FEED_BYTES) throw new FeedError('feed too large', feedProblems.tooLarge);
  return { bytes, contentType: res.headers.get('content-type') };
}

/** undici's own timeouts (connecting, waiting for the headers, between body chunks), as the `cause` of its "fetch failed". */
const UNDICI_TIMEOUTS = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * A request that failed before the site answered, or while its answer was read: our own timeout
 * (AbortSignal.timeout rejects with a `TimeoutError`) or undici's is "did not answer in time",
 * anything else (refused, no such host, connection reset, bad certificate) "could not be reached".
 */
export function requestFailure(err: unknown): FeedError {
  const e = err as { name?: unknown; message?: unknown; cause?: { code?: unknown } } | undefined;
  const timedOut = e?.name === 'TimeoutError' || UNDICI_TIMEOUTS.has(String(e?.cause?.code));
  return new FeedError(String(e?.message ?? err), timedOut ? feedProblems.timeout : feedProblems.unreachable);
}

const clip = (s: string | undefined, max: number) => (s && s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s);

export interface PollResult {
  feedId: string;
  ok: boolean;
  added: number;
  error?: string;
}

/**
 * Polls one feed: new items become updates (announced, except old items on a feed's first
 * poll), items seen before are skipped by their id or link. A failure is logged and the next
 * poll backs off; it never throws.
 */
export async function pollFeed(services: Pick<BotServices, 'db' | 'broadcasts' | 'log'>, feed: UpdateFeed, now: Date): Promise<PollResult> {
  const { db, log } = services;
  let items: FeedItem[];
  try {
    const { bytes, contentType } = await fetchFeed(feed.url);
    const parsed = parseFeed(bytes, contentType);
    items = parsed.items;
    if (parsed.skipped) log.warn('feed items without id or link skipped', { feed: feed.id, skipped: parsed.skipped });
  } catch (err) {
    const failures = feed.failures + 1;
    const error = err instanceof FeedError ? err.message : String((err as Error)?.message ?? err);
    // what the officers read is decided where the feed failed; anything else (a fault of ours) is "could not be read"
    const problem = err instanceof FeedError ? err.problem : feedProblems.unreachable;
    const nextPollAt = new Date(now.getTime() + feedBackoffMs(failures));
    log.warn('feed poll failed', { feed: feed.id, url: feed.url, failures, retryAt: nextPollAt.toISOString(), error });
    await db.updateFeed.update({
      where: { id: feed.id },
      data: { failures, nextPollAt, lastPolledAt: now, lastError: error.slice(0, 500), lastProblem: problem as Prisma.InputJsonObject },
    });
    return { feedId: feed.id, ok: false, added: 0, error };
  }
  const firstPoll = !feed.lastOkAt;
  let added = 0;
  // oldest first, so the updates keep the feed's order
  const ordered = [...items].sort((a, b) => (a.published?.getTime() ?? 0) - (b.published?.getTime() ?? 0));
  for (const item of ordered) {
    try {
      const stored = await storeUpdate(
        db,
        feed.forumId,
        {
          title: clip(item.title, LIMITS.title)!,
          body: clip(item.summary, LIMITS.body),
          link: item.link && item.link.length <= LIMITS.link ? item.link : undefined,
          themes: feed.themes,
          source: 'FEED',
          sourceKey: `feed:${item.key}`.slice(0, 1000),
          feedId: feed.id,
          quiet: firstPoll && !(item.published && now.getTime() - item.published.getTime() < 7 * DAY_MS),
        },
        now,
      );
      if (!stored) continue;
      added++;
      await announceUpdate(db, services.broadcasts, stored);
    } catch (err) {
      log.warn('feed item not stored', { feed: feed.id, error: String((err as Error)?.message ?? err) });
    }
  }
  await db.updateFeed.update({ where: { id: feed.id }, data: { failures: 0, lastError: null, lastProblem: Prisma.DbNull, lastOkAt: now, lastPolledAt: now, nextPollAt: new Date(now.getTime() + FEED_INTERVAL_MS) } });
  return { feedId: feed.id, ok: true, added };
}

/** Polls every feed that is due; one feed's trouble does not stop the others. */
export async function pollDueFeeds(services: Pick<BotServices, 'db' | 'broadcasts' | 'log'>, now: Date): Promise<PollResult[]> {
  const due = await services.db.updateFeed.findMany({ where: { nextPollAt: { lte: now } }, orderBy: [{ nextPollAt: 'asc' }, { createdAt: 'asc' }] });
  const results: PollResult[] = [];
  for (const feed of due) results.push(await pollFeed(services, feed, now));
  return results;
}
