import { defineCommand } from './commands.ts';
import type { CommandContext } from './context.ts';
import type { Block, Button, OutgoingMessage, Reply } from './messages.ts';
import { isActive } from './permissions.ts';

/**
 * A person's home: what is waiting for them in the forum at hand (elections they can vote in and
 * have not, elections taking nominations, report-backs they owe, the issues they raised and what
 * became of them, what they follow), each with the buttons that act on it. Features compute their
 * sections (Feature.home); the core puts them in one order and renders one OutgoingMessage, which
 * every platform shows with its own renderer (Slack's App Home tab, a Teams card, the web chat).
 */
export type HomeSectionId = 'voting' | 'nominations' | 'reportbacks' | 'issues' | 'following';

export interface HomeItem {
  text: string;
  buttons: Button[];
}

export interface HomeSection {
  id: HomeSectionId;
  items: HomeItem[];
  /** how many more there are than the items shown, and the command that lists them all */
  more?: { count: number; command: string };
}

export type HomeProvider = (ctx: CommandContext) => Promise<HomeSection[]>;

const ORDER: HomeSectionId[] = ['voting', 'nominations', 'reportbacks', 'issues', 'following'];
/** sections that ask something of the person: counted in the summary line */
const ACTIONABLE = new Set<HomeSectionId>(['voting', 'nominations', 'reportbacks']);
/** each feature shows at most this many items in a section (a home is a glance, not a list) */
export const HOME_ITEMS = 5;

/** A section's items as a home shows them: the first few, and how many more (listed by `command`). */
export const capped = (items: HomeItem[], command: string): Pick<HomeSection, 'items' | 'more'> => ({
  items: items.slice(0, HOME_ITEMS),
  ...(items.length > HOME_ITEMS ? { more: { count: items.length - HOME_ITEMS, command } } : {}),
});

/** Every feature's sections for this person, in the home's order. */
export async function homeSections(ctx: CommandContext): Promise<HomeSection[]> {
  if (!ctx.forum || !isActive(ctx.membership)) return [];
  const found = (await Promise.all((ctx.homeProviders ?? []).map((p) => p(ctx)))).flat();
  const sections: HomeSection[] = [];
  for (const id of ORDER) {
    const parts = found.filter((s) => s.id === id);
    if (!parts.length) continue;
    let items = parts.flatMap((s) => s.items);
    if (id === 'following') {
      // what is followed, each with its buttons; what is not yet followed, as one line of "how to" buttons
      const how = items.filter((i) => !i.text).flatMap((i) => i.buttons);
      items = items.filter((i) => i.text);
      if (how.length) items.push({ text: items.length ? '' : ctx.t('core.home.following.none'), buttons: how });
    }
    const more = parts.find((s) => s.more)?.more;
    if (items.length || id === 'following') sections.push({ id, items, ...(more ? { more } : {}) });
  }
  return sections;
}

/** The home as one message: a header, a summary line, each section with its items and buttons. */
export async function homeView(ctx: CommandContext): Promise<OutgoingMessage> {
  const { t } = ctx;
  const title = t('core.home.title');
  const blocks: Block[] = [{ type: 'header', text: title }];
  const lines = [title];
  const add = (text: string, buttons: Button[] = []) => {
    blocks.push({ type: 'section', text });
    if (buttons.length) blocks.push({ type: 'buttons', buttons });
    lines.push(text.replace(/\*\*/g, '')); // the plain-text fallback: no markup
  };
  const footer: Button[] = [
    { label: t('core.home.refresh'), action: { command: 'home' } },
    { label: t('core.home.help'), action: { command: 'help' } },
  ];
  if (!ctx.forum) {
    add(t('core.home.noForum'), footer.slice(1));
    return { text: lines.join('\n'), blocks };
  }
  if (!isActive(ctx.membership)) {
    add(t('core.home.forum', { forum: ctx.forum.name }));
    add(t(ctx.membership ? 'core.home.notMember' : 'core.home.notJoined'), footer.slice(1));
    return { text: lines.join('\n'), blocks };
  }
  const sections = await homeSections(ctx);
  // what asks something of them: an item with a button to do it (standing in an election asks nothing)
  const waiting = sections.filter((s) => ACTIONABLE.has(s.id)).reduce((n, s) => n + s.items.filter((i) => i.buttons.length).length + (s.more?.count ?? 0), 0);
  add(`${t('core.home.forum', { forum: ctx.forum.name })}\n${t('core.home.summary', { count: waiting })}`);
  for (const s of sections) {
    const count = s.items.filter((i) => i.text).length + (s.more?.count ?? 0);
    blocks.push({ type: 'divider' });
    const heading = s.id === 'following' ? t('core.home.section.following') : t(`core.home.section.${s.id}`, { count });
    add(`**${heading}**`);
    lines.push('');
    for (const item of s.items) {
      if (item.text) add(item.text, item.buttons);
      else if (item.buttons.length) blocks.push({ type: 'buttons', buttons: item.buttons });
    }
    if (s.more?.count) add(t('core.home.more', { count: s.more.count, command: ctx.registry.byName(s.more.command)?.names[ctx.locale] ?? s.more.command }));
  }
  blocks.push({ type: 'divider' }, { type: 'buttons', buttons: footer });
  return { text: lines.join('\n'), blocks };
}

export const homeCommand = defineCommand({
  names: { en: 'home', cy: 'hafan' },
  group: 'core',
  summary: 'core.cmd.home',
  args: [],
  examples: { en: ['home'], cy: ['hafan'] },
  permission: 'anyone',
  needsForum: false,
  async run(ctx): Promise<Reply> {
    // a home is personal: in a shared channel only its owner sees it
    return { visibility: ctx.event.isDirect ? 'conversation' : 'ephemeral', message: await homeView(ctx) };
  },
});
