import crypto from 'node:crypto';
import type { Db } from '../db/client.ts';
import type { Capabilities } from './adapter.ts';
import { collectArgs, CommandRegistry, usage, validateArgs, type CommandDef, type CommandResult } from './commands.ts';
import type { BotServices, CommandContext } from './context.ts';
import { ConversationStore } from './conversation.ts';
import { AppError, isConnectionError } from './errors.ts';
import type { IncomingEvent } from './events.ts';
import { adaptMessage, question, readAnswer, readRanking, type FallbackState } from './fallback.ts';
import { loadEventContext } from './event-context.ts';
import { isLocale, type Locale, type Translate } from './i18n.ts';
import { message, type OutgoingMessage, type Reply } from './messages.ts';
import { checkPermission } from './permissions.ts';

const fullCapabilities: Capabilities = { buttons: true, selects: true, forms: true, ballots: true, ephemeral: true, direct: true };
const CONNECTION_RETRIES = [200, 600, 1_500];

/**
 * The platform-neutral bot: takes a normalised event, finds who is asking, in which forum and
 * language, runs the command (validated, permission-checked, isolated) and answers replies.
 */
export class Bot {
  readonly registry: CommandRegistry;

  constructor(
    readonly services: BotServices,
    private readonly defaultLocale: Locale = 'en',
  ) {
    this.registry = services.registry;
  }

  get db(): Db {
    return this.services.db;
  }

  /** Handles one event; never throws: faults become a polite reply and a log line. */
  async handle(event: IncomingEvent, caps: Capabilities = fullCapabilities): Promise<Reply[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.handleOnce(event, caps);
      } catch (err) {
        if (isConnectionError(err) && attempt < CONNECTION_RETRIES.length) {
          await new Promise((r) => setTimeout(r, CONNECTION_RETRIES[attempt]));
          continue;
        }
        return [this.faultReply(err, event)];
      }
    }
  }

  private faultReply(err: unknown, event: IncomingEvent): Reply {
    const t = this.services.i18n.translator(this.defaultLocale);
    if (isConnectionError(err)) {
      this.services.log.warn('database unreachable', { platform: event.user.platform });
      return { visibility: 'ephemeral', message: message(t('core.error.tryAgain')) };
    }
    const id = crypto.randomBytes(4).toString('hex');
    this.services.log.error('handler failed', { errorId: id, kind: event.kind, error: (err as Error)?.stack ?? String(err) });
    return { visibility: 'ephemeral', message: message(t('core.error.unexpected', { id })) };
  }

  private async handleOnce(event: IncomingEvent, caps: Capabilities): Promise<Reply[]> {
    const stateKey = ConversationStore.key(event.conversation, event.user.platform, event.user.id);
    // platforms retry deliveries: the first to record the event id handles it, a repeat gets null
    const eventKey = event.eventId ? `${event.user.platform}:${event.eventId}` : undefined;
    const found = await loadEventContext(this.db, event.user, event.conversation, stateKey, this.services.now(), eventKey);
    if (!found) return [];
    const { person, account, forum, membership } = found;
    const locale: Locale = isLocale(person.locale) ? person.locale : isLocale(forum?.defaultLocale) ? forum.defaultLocale : this.defaultLocale;
    const t = this.services.i18n.translator(locale);
    const ctx: CommandContext = { ...this.services, event, person, account, locale, t, forum, membership };

    let result: CommandResult;
    try {
      result = await this.route(ctx, stateKey, found.state as FallbackState | null);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const hint = err.hint ? `\n${t(err.hint.key, err.hint.params)}` : '';
      result = { visibility: 'ephemeral', message: message(t(err.key, err.params) + hint) };
    }
    return this.finish(result, caps, t, locale, stateKey);
  }

  private async route(ctx: CommandContext, stateKey: string, state: FallbackState | null): Promise<CommandResult> {
    const { event } = ctx;
    if (event.kind === 'action' || event.kind === 'formSubmit') {
      const command = this.commandNamed(event.command);
      const raw = event.kind === 'formSubmit' ? { ...event.values, ...event.args } : event.args;
      return this.run(ctx, command, raw, []);
    }
    const text = event.text.trim();
    if (state) {
      const answered = await this.continueFlow(ctx, state, text, stateKey);
      if (answered !== undefined) return answered;
    }
    const match = this.registry.match(text);
    if (!match) {
      if (!event.isDirect && event.kind === 'message') return undefined;
      const near = this.registry.suggest(text);
      const answer = near.length
        ? ctx.t('core.command.didYouMean', { text: text.slice(0, 60), options: near.map((n) => `“${n.slice(0, 120)}”`).join(ctx.t('core.or')) })
        : ctx.t('core.command.unknown', { text: text.slice(0, 60) });
      return { visibility: 'ephemeral', message: message(answer) };
    }
    const known = ctx.forum && match.rest.length ? await this.services.names.forCommand(match.command, ctx.forum.id) : {};
    const { raw, unknown } = collectArgs(match.command, match.rest, known, ctx.now());
    return this.run(ctx, match.command, raw, unknown);
  }

  /** The command a button, form or menu names; an old message may name one that is gone. */
  private commandNamed(name: string): CommandDef {
    const command = this.registry.byName(name);
    if (!command) throw new AppError('core.command.gone');
    return command;
  }

  private async run(ctx: CommandContext, command: CommandDef, raw: Record<string, unknown>, unknown: string[]): Promise<CommandResult> {
    const { t, locale } = ctx;
    if (command.needsForum && !ctx.forum) throw new AppError('core.forum.none');
    checkPermission(command.permission, ctx);
    const parsed = validateArgs(command, raw, t, ctx.now());
    const problems = parsed.ok ? [] : parsed.problems;
    if (unknown.length) problems.push(t('core.arg.extra', { words: unknown.join(' ') }));
    if (!parsed.ok || problems.length) {
      const lines = [t('core.arg.problems'), ...problems.map((p) => `• ${p}`), '', `${t('core.help.usage')}: ${usage(command, locale)}`];
      if (command.examples[locale][0]) lines.push(`${t('core.help.example')}: ${command.examples[locale][0]}`);
      return { visibility: 'ephemeral', message: message(lines.join('\n')) };
    }
    try {
      return await command.run(ctx, parsed.args);
    } finally {
      if (command.changesNames) this.services.names.forget();
    }
  }

  /** A message while a text form, menu or ballot is waiting for its answer. */
  private async continueFlow(ctx: CommandContext, state: FallbackState, text: string, key: string): Promise<CommandResult | undefined> {
    const { t } = ctx;
    const store = this.services.conversations;
    if (/^(cancel|canslo|stop)$/i.test(text)) {
      await store.clear(key);
      return { visibility: 'ephemeral', message: message(t('core.form.cancelled')) };
    }
    if (state.flow === 'menu') {
      const n = Number(text);
      const action = Number.isInteger(n) ? state.data.options[n - 1] : undefined;
      await store.clear(key);
      if (!action) return undefined; // not a menu answer: treat as a new command
      const command = this.commandNamed(action.command);
      return this.run(ctx, command, { ...action.args }, []);
    }
    if (state.flow === 'ballot') {
      if (this.registry.match(text)) return undefined;
      const read = readRanking(state.data.ballot, text);
      if ('problem' in read) return { visibility: 'ephemeral', message: message(t(read.problem, { count: state.data.ballot.candidates.length })) };
      await store.clear(key);
      const submit = state.data.ballot.submit;
      const command = this.commandNamed(submit.command);
      return this.run(ctx, command, { ...submit.args, ranking: read.ranking.join(',') }, []);
    }
    const { form, values } = state.data;
    const field = form.fields[state.step];
    const read = readAnswer(field, text, ctx.now());
    if ('problem' in read) {
      return { visibility: 'ephemeral', message: message(`${t(read.problem, read.params)}\n${question(field, state.step, form.fields.length, t)}`) };
    }
    const next = { ...values, ...(read.value === undefined ? {} : { [field.name]: read.value }) };
    if (state.step + 1 < form.fields.length) {
      await store.set(key, { flow: 'form', step: state.step + 1, data: { form, values: next } });
      return { visibility: 'ephemeral', message: message(question(form.fields[state.step + 1], state.step + 1, form.fields.length, t)) };
    }
    await store.clear(key);
    const command = this.commandNamed(form.submit.command);
    return this.run(ctx, command, { ...next, ...form.submit.args }, []);
  }

  private async finish(result: CommandResult, caps: Capabilities, t: Translate, lang: Locale, key: string): Promise<Reply[]> {
    const replies = toReplies(result);
    const out: Reply[] = [];
    for (const reply of replies) {
      const adapted = adaptMessage(reply.message, caps, t);
      if (adapted.state) await this.services.conversations.set<unknown>(key, adapted.state);
      // a command that answers in another language ("language cy") says so itself
      out.push({ ...reply, message: { ...adapted.message, lang: adapted.message.lang ?? lang } });
    }
    return out;
  }
}

export function toReplies(result: CommandResult): Reply[] {
  if (!result) return [];
  if (Array.isArray(result)) return result;
  if ('visibility' in result) return [result];
  return [{ visibility: 'conversation', message: result as OutgoingMessage }];
}
