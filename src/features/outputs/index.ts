import type { Feature } from '../../core/feature.ts';
import { outputsCommands } from './outputs.commands.ts';
import { outputsCatalogues } from './outputs.i18n.ts';

/** The outputs report for funders: counts per financial year, in chat for officers and on the public site. */
export const outputsFeature: Feature = { id: 'outputs', catalogues: outputsCatalogues, commands: outputsCommands };
