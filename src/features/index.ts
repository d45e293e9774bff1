import type { Feature } from '../core/feature.ts';
import { forumsFeature } from './forums/index.ts';
import { tendersFeature } from './tenders/index.ts';

/** Every capability the bot has; adding a feature means adding it here. */
export const features: Feature[] = [forumsFeature, tendersFeature];
