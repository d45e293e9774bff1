import type { Feature } from '../../core/feature.ts';
import { tendersHome } from './home.ts';
import { tenderCommands } from './tenders.commands.ts';
import { tendersCatalogues } from './tenders.i18n.ts';
import { tenderJobs } from './tenders.jobs.ts';
import { mergeTenderPerson } from './tenders.service.ts';

export const tendersFeature: Feature = {
  id: 'tenders',
  catalogues: tendersCatalogues,
  commands: tenderCommands,
  home: tendersHome,
  jobs: tenderJobs,
  mergePerson: mergeTenderPerson,
};
