import { z } from 'zod';
import { isDay, isTime } from './schedule.ts';

/** Argument schemas shared by the report-back commands. */
const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
export const zDay = z.string().trim().refine(isDay, 'core.arg.date');
export const zTime = z.string().trim().refine(isTime, 'reportbacks.arg.timeFormat');
export const zPlace = z.preprocess(blankToUndefined, z.string().trim().min(2).max(300).optional());
export const zLink = z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/ }).max(500).optional());
export const zOptionalText = (max: number) => z.preprocess(blankToUndefined, z.string().max(max).optional());
export const zYesNo = z.preprocess(
  (v) => (typeof v === 'string' ? /^(yes|true|on|ie|1)$/i.test(v.trim()) : v ?? false),
  z.boolean(),
);
export const zPartnership = z.string().trim().min(2).max(120);
export const zId = z.string().trim().min(1).max(64);
