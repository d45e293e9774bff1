import type { Feature } from '../core/feature.ts';
import { breachesFeature } from './breaches/index.ts';
import { electionsFeature } from './elections/index.ts';
import { forumsFeature } from './forums/index.ts';
import { outputsFeature } from './outputs/index.ts';
import { reportbacksFeature } from './reportbacks/index.ts';
import { tendersFeature } from './tenders/index.ts';
import { updatesFeature } from './updates/index.ts';

/** Every capability the bot has; adding a feature means adding it here. */
export const features: Feature[] = [forumsFeature, electionsFeature, reportbacksFeature, updatesFeature, breachesFeature, tendersFeature, outputsFeature];
