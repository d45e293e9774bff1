import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { openOrExplain } from '../../db/db-cli.ts';
import { askRunningBot } from '../../db/data-lock.ts';
import { loadConfigOrExplain } from '../../config.ts';

/**
 * `forumbot officer add EMAIL --forum SLUG`: the way the first officer of a forum is made without a
 * back door over HTTP. The person is found by their sign-in email (or made, to sign in by email
 * later) and becomes an active member and officer of the forum.
 */
const ZEmail = z.string().trim().toLowerCase().pipe(z.email());

export class OfficerAddRefused extends Error {}

export async function addOfficer(db: Db, emailGiven: string, slug: string, now: Date): Promise<string> {
  const parsed = ZEmail.safeParse(emailGiven);
  if (!parsed.success) throw new OfficerAddRefused(`“${emailGiven}” is not an email address, e.g. clerc@example.org.`);
  const email = parsed.data;
  const forum = await db.forum.findUnique({ where: { slug } });
  if (!forum) {
    const slugs = (await db.forum.findMany({ select: { slug: true }, orderBy: { slug: 'asc' }, take: 20 })).map((f) => f.slug);
    throw new OfficerAddRefused(`There is no forum “${slug}”. ${slugs.length ? `Forums: ${slugs.join(', ')}.` : 'There are no forums yet: sign in on the web chat and type “forum create NAME cvc=…”; whoever creates a forum is its officer.'}`);
  }
  return db.$transaction(async (tx) => {
    const person = (await tx.person.findUnique({ where: { email } })) ?? (await tx.person.create({ data: { email, displayName: email.split('@')[0], currentForumId: forum.id } }));
    const existing = await tx.membership.findUnique({ where: { personId_forumId: { personId: person.id, forumId: forum.id } } });
    const roles = [...new Set([...(existing?.roles ?? []), 'MEMBER', 'OFFICER'] as const)];
    await tx.membership.upsert({
      where: { personId_forumId: { personId: person.id, forumId: forum.id } },
      create: { personId: person.id, forumId: forum.id, status: 'ACTIVE', roles, decidedAt: now },
      update: { status: 'ACTIVE', roles, decidedAt: now },
    });
    return `${email} is now an officer of “${forum.name}”. They sign in on the web chat with that address (a link and a code are mailed, or printed on the bot's console when SMTP_URL is not set).`;
  });
}

export async function officerCli(args: string[]): Promise<number> {
  const [sub, email] = args;
  const at = args.indexOf('--forum');
  const slug = at >= 0 ? args[at + 1] : undefined;
  if (sub !== 'add' || !email || email.startsWith('--') || !slug) {
    console.error('Usage: forumbot officer add EMAIL --forum SLUG');
    return 2;
  }
  const config = loadConfigOrExplain();
  if (!config) return 1;
  // a bot running on the embedded database holds its folder: ask it to do this
  const asked = config.DATABASE_URL ? null : await askRunningBot(config.DATA_DIR, 'officer-add', { email, forum: slug });
  if (asked?.ok && typeof asked.reply.summary === 'string') {
    console.log(asked.reply.summary);
    return 0;
  }
  if (typeof asked?.reply.refused === 'string') {
    console.error(asked.reply.refused);
    return 1;
  }
  const db = await openOrExplain();
  if (!db) return 1;
  try {
    console.log(await addOfficer(db.prisma, email, slug, new Date()));
    return 0;
  } catch (err) {
    if (!(err instanceof OfficerAddRefused)) throw err;
    console.error(err.message);
    return 1;
  } finally {
    await db.close();
  }
}
