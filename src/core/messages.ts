import type { Locale } from './i18n.ts';

/**
 * The one outgoing message model. Features build these; each adapter renders them natively
 * (Block Kit, Discord components, Adaptive Cards, HTML) or falls back to numbered text.
 */

/** What pressing a button, choosing an option or submitting a form runs: a command with arguments. */
export interface ActionRef {
  command: string;
  args?: Record<string, string | number | boolean>;
}

export interface Button {
  label: string;
  action: ActionRef;
  style?: 'primary' | 'danger';
}

export interface SelectOption {
  label: string;
  value: string;
  description?: string;
}

export type FormField =
  | { kind: 'text'; name: string; label: string; required?: boolean; maxLength?: number; placeholder?: string; value?: string }
  | { kind: 'textarea'; name: string; label: string; required?: boolean; maxLength?: number; placeholder?: string; value?: string }
  | { kind: 'number'; name: string; label: string; required?: boolean; min?: number; max?: number; value?: number }
  | { kind: 'date'; name: string; label: string; required?: boolean; value?: string }
  | { kind: 'select'; name: string; label: string; required?: boolean; options: SelectOption[]; value?: string }
  | { kind: 'checkbox'; name: string; label: string; value?: boolean };

export interface Form {
  /** unique within the message; adapters use it to route the submission */
  id: string;
  title: string;
  submitLabel: string;
  fields: FormField[];
  /** the command run with the field values merged into its args */
  submit: ActionRef;
  /** what a platform says under a required field left empty, in the reader's language (the core fills it) */
  requiredMessage?: string;
}

export interface BallotCandidate {
  id: string;
  name: string;
  statement?: string;
}

/** A ranked ballot: the voter gives 1, 2, 3… to any number of candidates. */
export interface RankedBallot {
  id: string;
  title: string;
  instructions: string;
  candidates: BallotCandidate[];
  /** the most preferences allowed; default all candidates */
  maxRanks?: number;
  submitLabel: string;
  /** what a platform says when the ballot is sent empty, in the reader's language (the core fills it) */
  requiredMessage?: string;
  /** how to type an order of candidate numbers, for a platform that cannot offer a select per rank (the core fills it) */
  typedHint?: string;
  /**
   * run with args.ranking = candidate ids in preference order, comma-separated, or with
   * args.ranks = "id=rank" pairs as the voter numbered them (the web chat); the command checks either
   */
  submit: ActionRef;
}

export type Align = 'left' | 'right' | 'center';

export interface TableColumn {
  label: string;
  /** default left; figures are right-aligned */
  align?: Align;
}

/**
 * A table: a header row (the columns), then rows of cells as text. Adapters render it natively
 * (HTML table, Slack's table block, an Adaptive Card Table, an aligned monospace block on Discord).
 */
export interface Table {
  /** a short title for the table, shown above it and read by screen readers */
  caption?: string;
  columns: TableColumn[];
  rows: string[][];
  /** lines shown under the table (notes, tie-breaks) */
  notes?: string[];
}

export type Block =
  | { type: 'header'; text: string }
  | { type: 'section'; text: string }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | { type: 'buttons'; buttons: Button[] }
  | { type: 'select'; id: string; label: string; placeholder: string; options: SelectOption[]; action: ActionRef; argName: string }
  | { type: 'form'; form: Form }
  | { type: 'ballot'; ballot: RankedBallot }
  | { type: 'table'; table: Table }
  | { type: 'divider' };

export interface OutgoingMessage {
  /** plain-text summary, used for notifications and as the fallback */
  text: string;
  blocks?: Block[];
  /** the language it is written in, set by the bot (the web chat marks it, so screen readers read Welsh in Welsh) */
  lang?: Locale;
}

/** Where a reply goes relative to the event that caused it. */
export type Visibility = 'conversation' | 'ephemeral' | 'direct';

export interface Reply {
  message: OutgoingMessage;
  visibility: Visibility;
}

export const message = (text: string, blocks?: Block[]): OutgoingMessage => (blocks ? { text, blocks } : { text });
