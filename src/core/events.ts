/**
 * Events coming in from any platform, normalised at the edge by the adapter.
 * A ConversationRef is a storable string such as "slack:T1:C123", "discord:G1:C9", "web:u-42".
 */
export type ConversationRef = string;

export interface EventUser {
  platform: string;
  /** the platform's own id for the user */
  id: string;
  displayName: string;
  /** where to reach this user privately, if the adapter knows */
  dmRef?: ConversationRef;
  /** the Microsoft Entra ID object id (Teams knows it): the same person as a "Sign in with Microsoft" */
  aadObjectId?: string;
}

interface BaseEvent {
  user: EventUser;
  conversation: ConversationRef;
  /** true in a one-to-one conversation with the bot */
  isDirect: boolean;
  /** the platform's id for this delivery, so a retried delivery has no second effect */
  eventId?: string;
}

export type IncomingEvent =
  | (BaseEvent & { kind: 'message'; text: string })
  | (BaseEvent & { kind: 'command'; text: string })
  | (BaseEvent & { kind: 'action'; command: string; args: Record<string, unknown> })
  | (BaseEvent & { kind: 'formSubmit'; command: string; args: Record<string, unknown>; values: Record<string, unknown> });

export const platformOf = (ref: ConversationRef): string => ref.slice(0, ref.indexOf(':'));
