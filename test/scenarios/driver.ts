import type { App } from '../../src/app.ts';
import type { Db } from '../../src/db/client.ts';

/**
 * One platform, driven the way its users drive it, for the shared scenario suite. Each driver
 * talks to the bot only through its platform (the web chat's HTTP API, or a stand-in of Slack,
 * Discord or Teams running the real SDK) and reads back what that platform received.
 */
export interface ScenarioDriver {
  readonly platform: 'web' | 'slack' | 'discord' | 'teams';
  /** the bot's database, for setup and for checking what was stored */
  readonly db: Db;
  /** the bot itself (the secrecy suite watches which platform event was whose, as the platform knows) */
  readonly app: App;
  /** the bot's clock; scenarios move it forward */
  readonly clock: { now: Date };
  /**
   * `user` sends `text` as a command: a slash command on Slack and Discord, a message to the bot on
   * Teams and the web. In a channel when `channel` is given, else in the user's DM with the bot.
   * Answers what that user was shown in reply (ephemeral and public replies alike).
   */
  command(user: string, text: string, channel?: string): Promise<Shown[]>;
  /** presses the button, or picks the select option, whose visible label is `label` */
  press(user: string, shown: Shown, label: string): Promise<Shown[]>;
  /** fills the form in `shown` (field name → value) and submits it */
  submit(user: string, shown: Shown, values: Record<string, string>): Promise<Shown[]>;
  /** ranks the candidates of the ballot in `shown`, by visible name, in preference order, and casts it */
  rank(user: string, shown: Shown, names: string[]): Promise<Shown[]>;
  /** what reached the user privately (direct messages, proactive messages) since the last call */
  inbox(user: string): Promise<Shown[]>;
  /** what was posted in the channel since the last call */
  channelPosts(channel: string): Promise<Shown[]>;
  /** lets background deliveries (broadcasts, direct messages) finish */
  settle(): Promise<void>;
  /** moves the clock forward by `ms`, runs the jobs due by then as the scheduler would, and settles */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** A message as the platform shows it: its visible text and its controls, by label. */
export interface Shown {
  /** all visible text of the message, rendered by the platform's rules, joined with newlines */
  text: string;
  /** visible labels of buttons and select options */
  buttons: string[];
  /** field names of a form, if the message holds one */
  formFields: string[];
  /** candidate names of a ranked ballot, if the message holds one */
  candidates: string[];
  /** the platform's own payload, for driver use */
  raw: unknown;
}

export const allText = (shown: Shown[]): string => shown.map((s) => s.text).join('\n');
