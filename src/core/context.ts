import type { Account, Forum, Membership, Person } from '../generated/prisma/client.ts';
import type { Db } from '../db/client.ts';
import type { IncomingEvent } from './events.ts';
import type { I18n, Locale, Translate } from './i18n.ts';
import type { BroadcastService } from './broadcast.ts';
import type { ConversationStore } from './conversation.ts';
import type { CommandRegistry } from './commands.ts';
import type { Logger } from './logger.ts';
import type { NameCache } from './suggest.ts';
import type { Feature, NowSection, PersonMerger } from './feature.ts';

/** Services every handler can use; built once by the bot. */
export interface BotServices {
  db: Db;
  i18n: I18n;
  registry: CommandRegistry;
  /** the names each forum's things are known by, as the parser and autocomplete read them */
  names: NameCache;
  broadcasts: BroadcastService;
  conversations: ConversationStore;
  log: Logger;
  now(): Date;
  /** each feature's hook for moving its rows when two person records merge */
  personMergers: PersonMerger[];
  /** each feature's "what is open for you now" (see Feature.now), shown first by help */
  nowSections?: NowSection[];
  /** each feature's sections of the home view (see Feature.home) */
  homeProviders?: NonNullable<Feature['home']>[];
  /** the web chat's address (PUBLIC_URL), for sign-in links asked for in chat; unset when the web chat is off */
  webUrl?: string;
}

/** What a command handler gets: who is asking, where, in which language and forum. */
export interface CommandContext extends BotServices {
  event: IncomingEvent;
  person: Person;
  account: Account;
  locale: Locale;
  t: Translate;
  forum: Forum | null;
  membership: Membership | null;
}
