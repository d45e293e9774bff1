/**
 * What the web chat's server and page say to each other: the types of the JSON API's bodies. The
 * server (web-adapter.ts, src/web/auth) answers them and the page (client/) reads them, both
 * type-checked against these and the one message model (src/core/messages.ts). Types only: the
 * page's bundle holds none of the server's code.
 */
import type { Locale } from '../../src/core/i18n.ts';
import type { ActionRef, OutgoingMessage, Visibility } from '../../src/core/messages.ts';

/** A bot message as the page receives it: a reply (with its visibility) or an inbox message (with where and when). */
export type ChatMessage = OutgoingMessage & { visibility?: Visibility; conversation?: string; at?: string };

/** `POST /api/webchat`: a typed line, or a pressed button / chosen option (args) / submitted form (values). */
export type ChatRequest = { room?: string } & ({ text: string } | { action: ActionRef & { values?: Record<string, string | number | boolean> } });

/** The answer to a ChatRequest, and to `GET /api/webchat/inbox`. */
export interface ChatResponse {
  messages: ChatMessage[];
}

/** An error or notice in both languages (src/web/server.ts errorBody / messageBody). */
export interface Bilingual {
  error?: string;
  errorCy?: string;
  problems?: string[];
  message?: string;
  messageCy?: string;
}

/** `GET /api/auth/me` */
export type Me = { demo: boolean; microsoft: boolean } & ({ signedIn: false } | { signedIn: true; name: string; webUserId: string; expiresAt: string });

/** `GET /api/auth/demo` */
export interface DemoPeople {
  demo: boolean;
  personas: { persona: string; name: string }[];
}

/** `GET /api/webchat/commands`: every command's names in both languages with what it does, offered as the person types. */
export interface CommandList {
  commands: { name: string; summary: string; lang: Locale }[];
}
