import type { Tx } from '../db/client.ts';
import type { WebRoutes } from '../web/server.ts';
import type { CommandDef } from './commands.ts';
import type { BotServices } from './context.ts';
import type { Catalogues } from './i18n.ts';

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
  jobs?: JobDef[];
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

export type PersonMerger = (tx: Tx, fromPersonId: string, toPersonId: string) => Promise<void>;
