import type { Feature } from '../../core/feature.ts';
import { electionsHome } from './home.ts';
import { electionCommands } from './elections.commands.ts';
import { electionsCatalogues } from './elections.i18n.ts';
import { electionsOpenNow } from './now.ts';
import { electionJobs } from './elections.jobs.ts';
import { mergeElectionPerson } from './elections.service.ts';

export const electionsFeature: Feature = {
  id: 'elections',
  catalogues: electionsCatalogues,
  commands: electionCommands,
  home: electionsHome,
  names: {
    election: async (db, forumId) => (await db.election.findMany({ where: { forumId }, select: { title: true } })).map((e) => e.title),
    // candidates of the elections still running: the ones a member can second, vote for or check
    candidate: async (db, forumId) => {
      const running = await db.election.findMany({ where: { forumId, phase: { in: ['NOMINATIONS', 'NOMINATIONS_CLOSED', 'VOTING', 'COUNTING'] } }, select: { id: true, title: true } });
      if (!running.length) return [];
      const titles = new Map(running.map((e) => [e.id, e.title]));
      const candidates = await db.candidate.findMany({ where: { electionId: { in: [...titles.keys()] }, isRon: false, withdrawn: false }, select: { name: true, electionId: true } });
      return candidates.map((c) => ({ name: c.name, within: titles.get(c.electionId)! }));
    },
  },
  jobs: electionJobs,
  now: electionsOpenNow,
  mergePerson: mergeElectionPerson,
};
