import type { Feature } from '../../core/feature.ts';
import { updatesHome } from './home.ts';
import { updatesCommands } from './updates.commands.ts';
import { updatesCatalogues } from './updates.i18n.ts';
import { updatesJobs } from './updates.jobs.ts';
import { updatesRoutes } from './updates.routes.ts';
import { mergeUpdatesPerson } from './updates.service.ts';

export { shortConsultationsAwaitingNotice } from './updates.service.ts';

export const updatesFeature: Feature = {
  id: 'updates',
  catalogues: updatesCatalogues,
  commands: updatesCommands,
  home: updatesHome,
  jobs: updatesJobs,
  mergePerson: mergeUpdatesPerson,
  routes: updatesRoutes,
};
