import type { Feature } from '../core/feature.ts';
import { breachesFeature } from './breaches/index.ts';
import { forumsFeature } from './forums/index.ts';

/** Every capability the bot has; adding a feature means adding it here. */
export const features: Feature[] = [forumsFeature, breachesFeature];
