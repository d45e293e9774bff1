import type { Db } from './db/client.ts';
import { AdapterSet, type ChatAdapter } from './core/adapter.ts';
import { Bot } from './core/bot.ts';
import { BroadcastService, type DeliveryTuning } from './core/broadcast.ts';
import { CommandRegistry, type NameKind, type NameSource } from './core/commands.ts';
import type { BotServices } from './core/context.ts';
import { ConversationStore } from './core/conversation.ts';
import { coreFeature } from './core/core.commands.ts';
import type { Feature } from './core/feature.ts';
import { NameCache, NameSuggestions } from './core/suggest.ts';
import { I18n, type Locale } from './core/i18n.ts';
import { createLogger, type Logger } from './core/logger.ts';
import { features as allFeatures } from './features/index.ts';
import { Scheduler, type SchedulerOptions } from './scheduler/scheduler.ts';
import { coreJobs } from './core/housekeeping.ts';
import { pagesCatalogues } from './web/pages/pages.i18n.ts';
import { microsoftCatalogues } from './web/auth/microsoft.i18n.ts';
import { webCatalogues } from './web/web.i18n.ts';

export interface AppOptions {
  db: Db;
  adapters?: ChatAdapter[];
  now?: () => Date;
  log?: Logger;
  defaultLocale?: Locale;
  features?: Feature[];
  delivery?: Partial<DeliveryTuning>;
  scheduler?: SchedulerOptions;
  /** the web chat's address, for "web" sign-in links (see BotServices.webUrl) */
  webUrl?: string;
}

export interface App {
  bot: Bot;
  services: BotServices;
  adapters: AdapterSet;
  scheduler: Scheduler;
  features: Feature[];
  /** names offered while a person types an argument (Discord autocomplete) */
  suggestions: NameSuggestions;
}

/** Builds the bot from its features, with no platform in sight: adapters are handed in. */
export function createApp(options: AppOptions): App {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? createLogger();
  const features = [coreFeature, ...(options.features ?? allFeatures)];
  const i18n = new I18n();
  const registry = new CommandRegistry();
  i18n.register(webCatalogues);
  i18n.register(microsoftCatalogues);
  i18n.register(pagesCatalogues);
  for (const f of features) {
    i18n.register(f.catalogues);
    registry.add(...f.commands);
    for (const [kind, source] of Object.entries(f.names ?? {}) as [NameKind, NameSource][]) registry.addNames(kind, source);
  }
  const adapters = new AdapterSet();
  for (const a of options.adapters ?? []) adapters.add(a);
  const broadcasts = new BroadcastService(options.db, adapters, i18n, log, now, options.delivery);
  const conversations = new ConversationStore(options.db, now);
  const personMergers = features.flatMap((f) => (f.mergePerson ? [f.mergePerson] : []));
  const nowSections = features.flatMap((f) => (f.now ? [f.now] : []));
  const homeProviders = features.flatMap((f) => (f.home ? [f.home.bind(f)] : []));
  const names = new NameCache(options.db, registry);
  const services: BotServices = { db: options.db, i18n, registry, names, broadcasts, conversations, log, now, personMergers, nowSections, homeProviders, webUrl: options.webUrl };
  const bot = new Bot(services, options.defaultLocale ?? 'en');
  const scheduler = new Scheduler(services, [...coreJobs, ...features.flatMap((f) => f.jobs ?? [])], options.scheduler);
  const suggestions = new NameSuggestions(options.db, names, now);
  return { bot, services, adapters, scheduler, features, suggestions };
}
