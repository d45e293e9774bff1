import { publicRoutes } from './web/pages/public.routes.ts';
import crypto from 'node:crypto';
import { DbRefStore } from '../adapters/discord/db-store.ts';
import { DiscordAdapter } from '../adapters/discord/discord-adapter.ts';
import { slashCommandsFor } from '../adapters/discord/slash-commands.ts';
import { SlackAdapter } from '../adapters/slack/slack-adapter.ts';
import { commandList, WebChatAdapter } from '../adapters/web/web-adapter.ts';
import { createApp } from './app.ts';
import { loadConfigOrExplain } from './config.ts';
import type { ChatAdapter } from './core/adapter.ts';
import { createLogger, redactConsole } from './core/logger.ts';
import { openDatabase } from './db/client.ts';
import { announceBot } from './db/data-lock.ts';
import { describeOpenFailure, isTransientConnectFailure, probePostgres } from './db/db-cli.ts';
import { consoleMailer, smtpMailer } from './web/auth/mailer.ts';
import { MicrosoftSignIn } from './web/auth/microsoft.ts';
import { microsoftRoutes } from './web/auth/microsoft.routes.ts';
import { sessionRoutes } from './web/auth/session.routes.ts';
import { signInRoutes } from './web/auth/sign-in.routes.ts';
import { inboxEventRoutes } from './web/push/inbox-events.routes.ts';
import { InboxHub } from './web/push/inbox-hub.ts';
import { WebSessions } from './web/auth/sessions.ts';
import { sendError, WebServer, type WebRoutes } from './web/server.ts';

/** `forumbot start`: open the database (migrating it), start the adapters, the web server and the jobs. */
export async function start(args: string[] = []): Promise<number> {
  const demo = args.includes('--demo');
  const config = loadConfigOrExplain();
  if (!config) return 1;
  const log = createLogger(config.LOG_LEVEL);
  // libraries that print on their own (Prisma, botbuilder) go through the same redaction filter
  redactConsole();
  // A failed promise nobody awaited is logged as an error and the instance carries on, rather than
  // exiting and taking every platform's chat down with it. The fault suite's database cut once
  // killed a bot so, from a query Prisma's driver adapter ran as the connection died (no caller of
  // ours in the stack). What the instance was doing is leased in the database and taken up again,
  // so carrying on loses and doubles nothing; the fault suite checks exactly that after the cut.
  process.on('unhandledRejection', (reason) => log.error('unhandled promise rejection; carrying on', { error: String((reason as Error)?.stack ?? reason) }));
  // listened for from the first moment, so a stop asked for during start-up still closes the database cleanly
  const stopAsked = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  let database;
  // PostgreSQL that does not answer in time, or refuses while it (re)starts, is tried again with
  // a bounded backoff (1 s doubling to 10 s) for DATABASE_START_TIMEOUT_SECONDS, each try logged
  const giveUpAt = Date.now() + config.DATABASE_START_TIMEOUT_SECONDS * 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      if (config.DATABASE_URL) await probePostgres(config.DATABASE_URL);
      database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
      if (attempt > 1) log.info('PostgreSQL answered; starting', { attempt });
      break;
    } catch (err) {
      const wait = Math.min(1_000 * 2 ** (attempt - 1), 10_000);
      if (!config.DATABASE_URL || !isTransientConnectFailure(err) || Date.now() + wait > giveUpAt) {
        console.error(describeOpenFailure(err, config.DATABASE_URL));
        return 1;
      }
      log.warn('PostgreSQL not answering at start; trying again', { attempt, retryInMs: wait, giveUpInS: Math.round((giveUpAt - Date.now()) / 1000), error: String((err as Error)?.message ?? err).split('\n')[0] });
      let timer: NodeJS.Timeout | undefined;
      const stopped = await Promise.race([stopAsked.then(() => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), wait)))]);
      clearTimeout(timer);
      if (stopped) return 0;
    }
  }
  const db = database.prisma;
  if (database.applied.length) log.info('migrations applied', { migrations: database.applied });

  const adapters: ChatAdapter[] = [];
  const sessions = new WebSessions(db, { publicUrl: config.PUBLIC_URL });
  const web = config.WEB_CHAT === 'on' ? new WebChatAdapter(db, { sessions, commands: () => commandList(app.bot.registry.all(), app.services.i18n) }) : undefined;
  if (web) adapters.push(web);
  // Slack: Socket Mode when SLACK_APP_TOKEN is set, else HTTP events at /slack/events on this server
  const slack = config.SLACK_BOT_TOKEN
    ? new SlackAdapter({ botToken: config.SLACK_BOT_TOKEN, signingSecret: config.SLACK_SIGNING_SECRET, appToken: config.SLACK_APP_TOKEN, apiUrl: config.SLACK_API_URL, log })
    : undefined;
  if (slack) adapters.push(slack);
  if (config.DISCORD_TOKEN && config.DISCORD_APPLICATION_ID) {
    adapters.push(
      new DiscordAdapter({
        token: config.DISCORD_TOKEN,
        applicationId: config.DISCORD_APPLICATION_ID,
        apiUrl: config.DISCORD_API_URL,
        guildIds: config.DISCORD_GUILD_IDS?.split(','),
        store: new DbRefStore(db),
        log,
        slashCommands: () => slashCommandsFor(app.bot.registry.all(), app.services.i18n.translator(config.DEFAULT_LANGUAGE), app.services.i18n.translator(config.DEFAULT_LANGUAGE === 'en' ? 'cy' : 'en')),
        autocomplete: (q) => app.suggestions.suggest(q),
      }),
    );
  }
  // Teams: on with its app id and password, or TEAMS=on without them (no authentication: local use)
  const teams =
    config.TEAMS === 'on' || config.TEAMS_APP_ID
      ? new (await import('../adapters/teams/teams-adapter.ts')).TeamsChatAdapter({ db, log, appId: config.TEAMS_APP_ID, appPassword: config.TEAMS_APP_PASSWORD, tenantId: config.TEAMS_APP_TENANT_ID })
      : undefined;
  if (teams) adapters.push(teams);
  // the address in sign-in links (mails and "web" in chat): PUBLIC_URL, else this machine
  const webUrl = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  const app = createApp({
    db,
    adapters,
    log,
    defaultLocale: config.DEFAULT_LANGUAGE,
    webUrl: web ? webUrl : undefined,
    delivery: { leaseMs: config.DELIVERY_LEASE_SECONDS * 1000 },
    scheduler: { leaseMs: config.JOB_LEASE_SECONDS * 1000 },
  });

  const server = new WebServer(log, { trustProxy: config.TRUST_PROXY === 'on', publicUrl: config.PUBLIC_URL });
  const microsoftOn = !!(config.MICROSOFT_ISSUER && config.MICROSOFT_CLIENT_ID && config.MICROSOFT_CLIENT_SECRET);
  server.add(sessionRoutes(sessions, { demo, microsoft: microsoftOn }));
  if (web) {
    const mailer = config.SMTP_URL ? smtpMailer(config.SMTP_URL, config.SMTP_FROM) : consoleMailer();
    server.add(signInRoutes({ db, sessions, mailer, baseUrl: webUrl, demo }));
  }
  if (config.MICROSOFT_ISSUER && config.MICROSOFT_CLIENT_ID && config.MICROSOFT_CLIENT_SECRET) {
    const microsoft = new MicrosoftSignIn({ issuer: config.MICROSOFT_ISSUER, clientId: config.MICROSOFT_CLIENT_ID, clientSecret: config.MICROSOFT_CLIENT_SECRET }, log);
    server.add(microsoftRoutes(microsoft, sessions, { db, log, publicUrl: config.PUBLIC_URL }));
  }
  let adminToken: string | undefined;
  const own: WebRoutes = async (http) => {
    http.get('/health', async (_req, reply) => {
      try {
        await db.$queryRaw`SELECT 1`;
        // deliveries this instance took over from one that stopped mid-send (also logged as a warning)
        return reply.header('cache-control', 'no-store').send({ ok: true, database: database.kind, deliveriesTakenOver: app.services.broadcasts.takenOver });
      } catch {
        return reply.code(503).header('cache-control', 'no-store').send({ ok: false, database: database.kind });
      }
    });
    // `forumbot seed --demo` run beside a bot on the embedded database asks the bot to seed
    http.post('/admin/seed-demo', async (req, reply) => {
      const local = ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress ?? '');
      const token = req.headers['x-forumbot-token'];
      if (!adminToken || !local || typeof token !== 'string' || !safeEqual(token, adminToken)) return sendError(reply, 403, 'web.error.forbidden');
      const { seedDemo } = await import('./features/forums/demo.ts');
      return reply.send({ summary: await seedDemo(db, new Date(), `http://localhost:${port}`) });
    });
    // `forumbot officer add` beside a bot on the embedded database
    http.post('/admin/officer-add', async (req, reply) => {
      const local = ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress ?? '');
      const token = req.headers['x-forumbot-token'];
      if (!adminToken || !local || typeof token !== 'string' || !safeEqual(token, adminToken)) return sendError(reply, 403, 'web.error.forbidden');
      const { addOfficer, OfficerAddRefused } = await import('./features/forums/officer-cli.ts');
      const body = req.body as { email?: string; forum?: string } | undefined;
      try {
        return reply.send({ summary: await addOfficer(db, String(body?.email ?? ''), String(body?.forum ?? ''), new Date()) });
      } catch (err) {
        if (err instanceof OfficerAddRefused) return reply.code(400).send({ refused: err.message });
        throw err;
      }
    });
  };
  server.add(own);
  if (web) server.add(...web.routes());
  // the web chat's new messages pushed to open pages (Server-Sent Events), woken by LISTEN/NOTIFY
  const inboxHub = web ? new InboxHub(database.listen, log) : undefined;
  if (inboxHub) {
    await inboxHub.start();
    server.add(inboxEventRoutes({ db, hub: inboxHub, sessions, log, mayRead: (personId, room) => web!.mayRead(personId, room) }));
  }
  if (slack) server.add(...slack.routes());
  if (teams) server.add(...teams.routes());
  for (const feature of app.features) if (feature.routes) server.add(...feature.routes(app.services));
  server.add(...publicRoutes(app.services));
  for (const adapter of adapters) await adapter.start((event) => app.bot.handle(event, adapter.capabilities));

  let port: number;
  try {
    port = await server.listen(config.PORT, config.HOST);
  } catch (err) {
    console.error(`Cannot listen on port ${config.PORT}: ${(err as Error).message}. Set PORT to a free port.`);
    await database.close();
    return 1;
  }
  if (database.kind === 'pglite') adminToken = announceBot(config.DATA_DIR, port);
  app.services.broadcasts.start();
  await app.scheduler.start();

  const forums = await db.forum.count();
  console.log(`forumbot is running (${database.kind === 'pglite' ? `embedded database in ${config.DATA_DIR}` : 'PostgreSQL'}).`);
  if (web) console.log(`Web chat: http://localhost:${port}/${config.SMTP_URL ? '' : ' (no SMTP_URL: sign-in links are printed here)'}`);
  if (web && demo) console.log('DEMO MODE: anyone who can reach this page can act as any demo person. Never use demo mode for a real forum.');
  if (slack) console.log(slack.socketMode ? 'Slack: connected in Socket Mode.' : `Slack: events, commands and interactions at http://localhost:${port}/slack/events`);
  if (teams) console.log(`Teams messaging endpoint: POST http://localhost:${port}/api/messages${config.TEAMS_APP_ID ? '' : ' (no authentication: local use only)'}`);
  if (forums === 0) console.log('The database is empty. To try every command with a sample county forum, run: npx forumbot seed --demo');

  await stopAsked;
  log.info('stopping');
  await app.scheduler.stop();
  await app.services.broadcasts.stop();
  for (const adapter of adapters) await adapter.stop();
  await server.close();
  await inboxHub?.stop();
  await database.close();
  return 0;
}

const safeEqual = (a: string, b: string): boolean => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));
