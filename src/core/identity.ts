import crypto from 'node:crypto';
import type { Db } from '../db/client.ts';
import type { EventUser } from './events.ts';
import { AppError } from './errors.ts';
import type { PersonMerger } from './feature.ts';

const LINK_CODE_TTL_MS = 15 * 60 * 1000;
const LINK_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export const sha256 = (text: string): string => crypto.createHash('sha256').update(text).digest('hex');

/** Finds the account for a platform user, creating the person on first contact. */
export async function resolveAccount(db: Db, user: EventUser) {
  const where = { platform_platformUserId: { platform: user.platform, platformUserId: user.id } };
  const found = await db.account.findUnique({ where, include: { person: true } });
  if (found) {
    const renamed = found.displayName !== user.displayName && user.displayName;
    const newDm = user.dmRef && found.dmRef !== user.dmRef;
    const newAad = user.aadObjectId && !found.aadObjectId;
    if (renamed || newDm || newAad) {
      return db.account.update({
        where: { id: found.id },
        data: { displayName: user.displayName || found.displayName, dmRef: user.dmRef ?? found.dmRef, ...(newAad ? { aadObjectId: user.aadObjectId } : {}) },
        include: { person: true },
      });
    }
    return found;
  }
  // someone who signed in with Microsoft and now writes from Teams is already a person
  const sameDirectoryUser = user.aadObjectId
    ? await db.account.findFirst({ where: { aadObjectId: user.aadObjectId, platform: { not: user.platform } }, select: { personId: true }, orderBy: { createdAt: 'asc' } })
    : null;
  try {
    return await db.account.create({
      data: {
        platform: user.platform,
        platformUserId: user.id,
        displayName: user.displayName,
        dmRef: user.dmRef ?? null,
        aadObjectId: user.aadObjectId ?? null,
        person: sameDirectoryUser ? { connect: { id: sameDirectoryUser.personId } } : { create: { displayName: user.displayName } },
      },
      include: { person: true },
    });
  } catch (err) {
    // two first messages at once: the other one created it
    const again = await db.account.findUnique({ where, include: { person: true } });
    if (again) return again;
    throw err;
  }
}

/**
 * A one-time link that signs this person in to the web chat ("web" in a direct message): a random
 * token in the link's #fragment, only its SHA-256 stored (SignInToken), usable once within 15 minutes.
 * The web side redeems it (src/web/auth/sign-in-tokens.ts).
 */
export async function createWebSignInLink(db: Db, personId: string, webUrl: string, now: Date): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await db.$transaction([
    db.signInToken.deleteMany({ where: { OR: [{ personId }, { expiresAt: { lt: now } }] } }),
    db.signInToken.create({ data: { linkHash: sha256(token), personId, expiresAt: new Date(now.getTime() + LINK_CODE_TTL_MS) } }),
  ]);
  return `${webUrl.replace(/\/+$/, '')}/#signin=${token}`;
}

/** Makes a one-time code (shown once; only its hash is kept) to link another platform account. */
export async function createLinkCode(db: Db, personId: string, now: Date): Promise<string> {
  const bytes = crypto.randomBytes(8);
  const code = [...bytes].map((b) => LINK_ALPHABET[b % LINK_ALPHABET.length]).join('');
  await db.linkCode.deleteMany({ where: { OR: [{ personId }, { expiresAt: { lt: now } }] } });
  await db.linkCode.create({ data: { codeHash: sha256(code), personId, expiresAt: new Date(now.getTime() + LINK_CODE_TTL_MS) } });
  return code;
}

/**
 * Moves the account that typed the code onto the person who made it. The linking account's
 * old person record is merged in: its memberships and seats move unless the target already has
 * one in that forum.
 */
export async function redeemLinkCode(db: Db, accountId: string, code: string, now: Date, mergers: PersonMerger[] = []): Promise<{ personId: string }> {
  const codeHash = sha256(code.trim().toUpperCase());
  return db.$transaction(async (tx) => {
    const link = await tx.linkCode.findUnique({ where: { codeHash } });
    if (!link || link.expiresAt < now) throw new AppError('core.link.badCode');
    await tx.linkCode.delete({ where: { codeHash } });
    const account = await tx.account.findUniqueOrThrow({ where: { id: accountId } });
    if (account.personId === link.personId) throw new AppError('core.link.already');
    const oldPersonId = account.personId;
    await tx.account.update({ where: { id: accountId }, data: { personId: link.personId } });
    // a web chat account moving over takes its signed-in browsers along
    if (account.platform === 'web') await tx.webSession.updateMany({ where: { personId: oldPersonId }, data: { personId: link.personId } });
    const targetForums = new Set(
      (await tx.membership.findMany({ where: { personId: link.personId }, select: { forumId: true } })).map((m) => m.forumId),
    );
    const oldMemberships = await tx.membership.findMany({ where: { personId: oldPersonId } });
    for (const m of oldMemberships) {
      if (!targetForums.has(m.forumId)) await tx.membership.update({ where: { id: m.id }, data: { personId: link.personId } });
    }
    await tx.seatHolding.updateMany({ where: { personId: oldPersonId }, data: { personId: link.personId } });
    for (const merge of mergers) await merge(tx, oldPersonId, link.personId);
    const remaining = await tx.account.count({ where: { personId: oldPersonId } });
    if (remaining === 0) await tx.person.delete({ where: { id: oldPersonId } });
    return { personId: link.personId };
  });
}
