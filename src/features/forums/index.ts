import type { Feature } from '../../core/feature.ts';
import { forumCommands } from './forums.commands.ts';
import { forumsCatalogues } from './forums.i18n.ts';

export const forumsFeature: Feature = { id: 'forums', catalogues: forumsCatalogues, commands: forumCommands };
