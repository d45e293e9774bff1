import type { Feature } from '../../core/feature.ts';
import { breachesCatalogues } from './breaches.i18n.ts';
import { breachJobs } from './breaches.jobs.ts';
import { caseCommands } from './cases.commands.ts';
import { compactCommands } from './compacts.commands.ts';
import { filingCommands } from './filing.commands.ts';

export { draftNoticeFromConsultation, type ConsultationFacts, type NoticeDraft } from './reports.service.ts';

/** Compacts, breach notices (named, on behalf, anonymous) and their cases. */
export const breachesFeature: Feature = {
  id: 'breaches',
  catalogues: breachesCatalogues,
  commands: [...compactCommands, ...filingCommands, ...caseCommands],
  jobs: breachJobs,
  async mergePerson(tx, from, to) {
    await tx.breachNotice.updateMany({ where: { filerPersonId: from }, data: { filerPersonId: to } });
    await tx.breachNotice.updateMany({ where: { filedById: from }, data: { filedById: to } });
    await tx.breachStep.updateMany({ where: { byPersonId: from }, data: { byPersonId: to } });
    await tx.breachMessage.updateMany({ where: { byPersonId: from }, data: { byPersonId: to } });
  },
};
