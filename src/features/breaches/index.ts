import type { Feature } from '../../core/feature.ts';
import { breachesCatalogues } from './breaches.i18n.ts';
import { breachJobs } from './breaches.jobs.ts';
import { caseCommands } from './cases.commands.ts';
import { compactCommands } from './compacts.commands.ts';
import { filingCommands } from './filing.commands.ts';

import type { ActionRef } from '../../core/messages.ts';
import type { ConsultationFacts } from './reports.service.ts';

export { draftNoticeFromConsultation, type ConsultationFacts, type NoticeDraft } from './reports.service.ts';

/**
 * For the updates feature: a button action that opens a pre-filled notice about a consultation
 * shorter than 12 weeks, for the member or officer who presses it to check and file.
 */
export const draftConsultationAction = (c: ConsultationFacts): ActionRef => ({
  command: 'breach draft consultation',
  args: { body: c.body, title: c.title, opens: c.opensOn, closes: c.closesOn, ...(c.link ? { link: c.link } : {}), ...(c.consultationId ? { consultation: c.consultationId } : {}) },
});

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
