import type { Feature } from '../../core/feature.ts';
import { reportbacksHome } from './home.ts';
import { calendarRoutes } from './calendar.routes.ts';
import { issueCommands } from './issues.commands.ts';
import { meetingCommands } from './meetings.commands.ts';
import { reportbackCommands } from './reportbacks.commands.ts';
import { reportbacksCatalogues } from './reportbacks.i18n.ts';
import { reportbackJobs } from './reportbacks.jobs.ts';
import { mergeReportbackPerson } from './reportbacks.service.ts';
import { reportbacksOwedNow } from './now.ts';

export const reportbacksFeature: Feature = {
  id: 'reportbacks',
  catalogues: reportbacksCatalogues,
  commands: [...meetingCommands, ...reportbackCommands, ...issueCommands],
  home: reportbacksHome,
  jobs: reportbackJobs,
  now: reportbacksOwedNow,
  mergePerson: mergeReportbackPerson,
  routes: calendarRoutes,
};
