import type { Feature } from '../../core/feature.ts';
import { forumCommands } from './forums.commands.ts';
import { forumsCatalogues } from './forums.i18n.ts';

export const forumsFeature: Feature = {
  id: 'forums',
  catalogues: forumsCatalogues,
  commands: forumCommands,
  names: {
    partnership: async (db, forumId) => (await db.partnership.findMany({ where: { forumId }, select: { name: true } })).map((p) => p.name),
    organisation: async (db, forumId) => (await db.organisation.findMany({ where: { forumId }, select: { name: true } })).map((o) => o.name),
    seat: async (db, forumId) =>
      (await db.seat.findMany({ where: { partnership: { forumId } }, select: { label: true, partnership: { select: { name: true } } } })).map((s) => ({ name: s.label, within: s.partnership.name })),
    person: async (db, forumId) =>
      (await db.membership.findMany({ where: { forumId, status: 'ACTIVE' }, select: { person: { select: { displayName: true } } } })).map((m) => m.person.displayName),
  },
};
