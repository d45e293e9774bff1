import type { Db, Tx } from '../../db/client.ts';
import { AppError } from '../../core/errors.ts';
import { pickByName } from '../../core/names.ts';
import type { Locale } from '../../core/i18n.ts';

/** Kinds of public body; statistics are by kind, never by name. */
export const PARTY_KINDS = ['council', 'health-board', 'police', 'fire', 'other'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

interface DefaultCode {
  key: string;
  name: string;
  nameCy: string;
  commitments: { text: string; textCy: string; standardDays?: number }[];
}

/**
 * The catalogue a forum starts with: the English Compact's five codes (DOMAIN.md, "Compacts and
 * breach notices") and the commitments the sources put numbers on. Officers edit it afterwards.
 */
export const DEFAULT_CODES: DefaultCode[] = [
  {
    key: 'funding-procurement',
    name: 'Funding and Procurement',
    nameCy: 'Cyllido a Chaffael',
    commitments: [
      { text: 'Funding for three years is the norm', textCy: 'Cyllid am dair blynedd yw’r arfer', standardDays: 1095 },
      { text: 'Full cost recovery is recognised in funding', textCy: 'Cydnabod adennill costau llawn wrth gyllido' },
      { text: 'Funding decisions are made in good time', textCy: 'Gwneud penderfyniadau cyllido mewn da bryd' },
      { text: 'Funding is paid in advance of delivery', textCy: 'Talu cyllid cyn cyflawni’r gwaith' },
    ],
  },
  {
    key: 'consultation-policy',
    name: 'Consultation and Policy Appraisal',
    nameCy: 'Ymgynghori ac Arfarnu Polisi',
    commitments: [
      { text: 'Consultations run for at least 12 weeks', textCy: 'Ymgynghoriadau’n para o leiaf 12 wythnos', standardDays: 84 },
      { text: 'Respondents get feedback on the consultation', textCy: 'Ymatebwyr yn cael adborth ar yr ymgynghoriad' },
    ],
  },
  {
    key: 'volunteering',
    name: 'Volunteering',
    nameCy: 'Gwirfoddoli',
    commitments: [{ text: 'Volunteers are not used to replace paid staff', textCy: 'Peidio â defnyddio gwirfoddolwyr yn lle staff cyflogedig' }],
  },
  {
    key: 'bme-organisations',
    name: 'Black and Minority Ethnic organisations',
    nameCy: 'Mudiadau Pobl Dduon a Lleiafrifoedd Ethnig',
    commitments: [{ text: 'BME organisations are involved in decisions that affect them', textCy: 'Cynnwys mudiadau BME mewn penderfyniadau sy’n effeithio arnynt' }],
  },
  {
    key: 'community-groups',
    name: 'Community Groups',
    nameCy: 'Grwpiau Cymunedol',
    commitments: [{ text: 'Funding and reporting are proportionate for small groups', textCy: 'Cyllido ac adrodd yn gymesur i grwpiau bach' }],
  },
];

export const DEFAULT_PARTIES: { name: string; kind: PartyKind }[] = [
  { name: 'County council', kind: 'council' },
  { name: 'Local health board', kind: 'health-board' },
  { name: 'Police', kind: 'police' },
  { name: 'Fire and rescue service', kind: 'fire' },
];

export const DEFAULT_ESCALATION = 'Funding and Compliance Sub-Committee of the Third Sector Partnership Council';

export const codeName = (c: { name: string; nameCy: string | null }, locale: Locale) => (locale === 'cy' && c.nameCy ? c.nameCy : c.name);
export const commitmentText = (c: { text: string; textCy: string | null }, locale: Locale) => (locale === 'cy' && c.textCy ? c.textCy : c.text);

export const keyOf = (name: string) =>
  name.toLowerCase().normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/[\s_]+/g, '-').slice(0, 60) || 'code';

/** Seeds the default compact for a forum that has none; returns how many compacts were made (0 or 1). */
export async function seedDefaultCatalogue(db: Db, forumId: string, compactName = 'Compact'): Promise<number> {
  return db.$transaction(async (tx) => {
    // one seeder at a time per forum: lock the forum row
    await tx.$executeRaw`SELECT 1 FROM "Forum" WHERE id = ${forumId} FOR UPDATE`;
    if ((await tx.compact.count({ where: { forumId } })) > 0) return 0;
    const compact = await tx.compact.create({ data: { forumId, name: compactName, escalationBody: DEFAULT_ESCALATION } });
    await tx.compactParty.createMany({ data: DEFAULT_PARTIES.map((p) => ({ ...p, compactId: compact.id })) });
    for (const c of DEFAULT_CODES) {
      const code = await tx.compactCode.create({ data: { compactId: compact.id, key: c.key, name: c.name, nameCy: c.nameCy } });
      await tx.compactCommitment.createMany({ data: c.commitments.map((m) => ({ codeId: code.id, text: m.text, textCy: m.textCy, standardDays: m.standardDays ?? null })) });
    }
    return 1;
  });
}

const catalogueInclude = {
  parties: { orderBy: { name: 'asc' } },
  codes: { orderBy: { name: 'asc' }, include: { commitments: { orderBy: { text: 'asc' } } } },
} as const;

/** The forum's compacts with parties, codes and commitments; the default is seeded on first use. */
export async function listCompacts(db: Db, forumId: string) {
  let compacts = await db.compact.findMany({ where: { forumId }, orderBy: { name: 'asc' }, include: catalogueInclude });
  if (compacts.length === 0) {
    await seedDefaultCatalogue(db, forumId);
    compacts = await db.compact.findMany({ where: { forumId }, orderBy: { name: 'asc' }, include: catalogueInclude });
  }
  return compacts;
}
export type CompactWithCatalogue = Awaited<ReturnType<typeof listCompacts>>[number];

/** The named compact, or the forum's only one when no name is given. */
export async function findCompact(db: Db, forumId: string, name?: string): Promise<CompactWithCatalogue> {
  const compacts = await listCompacts(db, forumId);
  if (!name) {
    if (compacts.length === 1) return compacts[0];
    throw new AppError('breaches.compact.which', { options: compacts.map((c) => c.name).join('; ') });
  }
  return pickByName(compacts, name, (c) => c.name, 'breaches.compact.notFound', 'breaches.catalogue.ambiguous');
}

export function findCode(compact: CompactWithCatalogue, name: string) {
  return pickByName(compact.codes, name, (c) => c.name, 'breaches.code.notFound', 'breaches.catalogue.ambiguous');
}

export function findParty(compact: CompactWithCatalogue, name: string) {
  return pickByName(compact.parties, name, (p) => p.name, 'breaches.party.notFound', 'breaches.catalogue.ambiguous');
}

export async function addCompact(db: Db, forumId: string, input: { name: string; escalationBody?: string; acknowledgeDays?: number; liaisonDays?: number }) {
  if (await db.compact.findFirst({ where: { forumId, name: { equals: input.name, mode: 'insensitive' } } })) {
    throw new AppError('breaches.compact.exists', { name: input.name });
  }
  return db.$transaction(async (tx) => {
    const compact = await tx.compact.create({ data: { forumId, ...input } });
    // a new compact starts with the standard codes, so notices can be filed against it at once
    for (const c of DEFAULT_CODES) {
      const code = await tx.compactCode.create({ data: { compactId: compact.id, key: c.key, name: c.name, nameCy: c.nameCy } });
      await tx.compactCommitment.createMany({ data: c.commitments.map((m) => ({ codeId: code.id, text: m.text, textCy: m.textCy, standardDays: m.standardDays ?? null })) });
    }
    return compact;
  });
}

export async function updateCompact(db: Db, id: string, input: { name?: string; escalationBody?: string; acknowledgeDays?: number | null; liaisonDays?: number | null }) {
  return db.compact.update({ where: { id }, data: input });
}

export async function addParty(db: Tx, compactId: string, name: string, kind: PartyKind) {
  if (await db.compactParty.findFirst({ where: { compactId, name: { equals: name, mode: 'insensitive' } } })) throw new AppError('breaches.party.exists', { name });
  return db.compactParty.create({ data: { compactId, name, kind } });
}

export async function addCode(db: Tx, compactId: string, name: string, nameCy?: string) {
  const key = keyOf(name);
  if (await db.compactCode.findFirst({ where: { compactId, OR: [{ key }, { name: { equals: name, mode: 'insensitive' } }] } })) {
    throw new AppError('breaches.code.exists', { name });
  }
  return db.compactCode.create({ data: { compactId, key, name, nameCy: nameCy ?? null } });
}

export async function addCommitment(db: Tx, codeId: string, text: string, standardDays?: number, textCy?: string) {
  return db.compactCommitment.create({ data: { codeId, text, textCy: textCy ?? null, standardDays: standardDays ?? null } });
}

/** Whether a notice, filed or still held for the mixing job (AnonymousHeld), names this entry. */
async function inUse(db: Db, field: 'partyId' | 'codeId' | 'commitmentId', id: string): Promise<boolean> {
  if (await db.breachNotice.count({ where: { [field]: id } })) return true;
  const [{ held }] = await db.$queryRaw<{ held: boolean }[]>`SELECT EXISTS (SELECT 1 FROM "AnonymousHeld" WHERE kind = 'notice' AND data->>${field}::text = ${id}) AS held`;
  return held;
}

/**
 * Removes a party, code or commitment that no notice uses (a used one stays, so cases keep their
 * history). A notice still held counts: removing what it names would make its publication fail.
 */
export async function removeEntry(db: Db, compact: CompactWithCatalogue, what: 'party' | 'code' | 'commitment', name: string) {
  if (what === 'party') {
    const p = findParty(compact, name);
    if (await inUse(db, 'partyId', p.id)) throw new AppError('breaches.catalogue.inUse', { name: p.name });
    await db.compactParty.delete({ where: { id: p.id } });
    return p.name;
  }
  if (what === 'code') {
    const c = findCode(compact, name);
    if (await inUse(db, 'codeId', c.id)) throw new AppError('breaches.catalogue.inUse', { name: c.name });
    await db.compactCode.delete({ where: { id: c.id } });
    return c.name;
  }
  const all = compact.codes.flatMap((c) => c.commitments);
  const m = pickByName(all, name, (x) => x.text, 'breaches.commitment.notFound', 'breaches.catalogue.ambiguous');
  if (await inUse(db, 'commitmentId', m.id)) throw new AppError('breaches.catalogue.inUse', { name: m.text });
  await db.compactCommitment.delete({ where: { id: m.id } });
  return m.text;
}
