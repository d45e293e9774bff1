import type { Feature } from '../../core/feature.ts';
import { electionCommands } from './elections.commands.ts';
import { electionsCatalogues } from './elections.i18n.ts';
import { electionJobs } from './elections.jobs.ts';
import { mergeElectionPerson } from './elections.service.ts';

export const electionsFeature: Feature = {
  id: 'elections',
  catalogues: electionsCatalogues,
  commands: electionCommands,
  jobs: electionJobs,
  mergePerson: mergeElectionPerson,
};
