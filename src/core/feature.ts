import type { Tx } from '../db/client.ts';
import type { WebRoutes } from '../web/server.ts';
import type { CommandDef, NameKind, NameSource } from './commands.ts';
import type { BotServices } from './context.ts';
import type { Catalogues } from './i18n.ts';
import type { CommandContext } from './context.ts';
import type { Button } from './messages.ts';
import type { HomeProvider } from './home.ts';

/** What runs a scheduled job gets: the time it was due and the bot's services. */
export interface JobContext extends BotServices {
  scheduledFor: Date;
}

/** A feature's schedule, as data: the scheduler runs it once per due time across instances. */
export interface JobDef {
  id: string;
  /** five-field cron expression, Europe/London time */
  cron: string;
  run(ctx: JobContext): Promise<void>;
}

/** A capability plugged into the core: its commands, jobs and catalogues. */
export interface Feature {
  id: string;
  catalogues: Catalogues;
  commands: CommandDef[];
  /** where the names its commands' arguments refer to come from (election titles, partnerships…) */
  names?: Partial<Record<NameKind, NameSource>>;
  jobs?: JobDef[];
  /** What is open for this person now (an election taking nominations, a report-back they owe): `help` shows these first. */
  now?: NowSection;
  /** This feature's sections of the person's home view (see core/home.ts): what waits for them, with buttons. */
  home?: HomeProvider;
  /**
   * Two person records became one (a linked platform account): move this feature's rows from
   * `fromPersonId` to `toPersonId`, inside the linking transaction.
   */
  mergePerson?: PersonMerger;
  /**
   * HTTP endpoints and pages of the feature (a calendar feed, an inbound webhook, public pages),
   * as Fastify plugins the bot's web server registers (see `src/web/server.ts`).
   */
  routes?(services: BotServices): WebRoutes[];
}

/**
 * A feature's part of `help`'s "open for you now", read with every feature's in one statement (help
 * runs often; see `openNow` in core.commands.ts). `sql` is a scalar subquery answering a JSON array
 * (or null for none) from `args.forum_id`, `args.person_id` and `args.now` (UTC, timestamp(3));
 * `render` turns its rows (timestamps as UTC text: see `utcDates`) into lines, each with its buttons.
 */
export interface NowSection {
  sql: string;
  render(rows: Record<string, unknown>[], ctx: CommandContext): { text: string; buttons: Button[] }[];
}

export type PersonMerger = (tx: Tx, fromPersonId: string, toPersonId: string) => Promise<void>;
