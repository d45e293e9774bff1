import { z } from 'zod';

/**
 * The one place that reads the environment. Every problem is reported at once, in plain words,
 * so a misconfigured deployment is fixed in one go.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const Env = z.object({
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgresql:// (leave it unset for the embedded database)')
      .optional(),
    DATA_DIR: z.string().default('./data'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    DEFAULT_LANGUAGE: z.enum(['en', 'cy']).default('en'),
    WEB_CHAT: z.enum(['on', 'off']).default('on'),
    PUBLIC_URL: z.string().url('PUBLIC_URL must be a full address such as https://forumbot.example.org').optional(),
    TRUST_PROXY: z.enum(['on', 'off']).default('off'),
    SMTP_URL: z.string().regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://, e.g. smtp://user:password@mail.example.org:587').optional(),
    SMTP_FROM: z.string().min(3).default('forumbot <forumbot@localhost>'),
    SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'SLACK_BOT_TOKEN must start with xoxb-').optional(),
    SLACK_SIGNING_SECRET: z.string().min(1).optional(),
    SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'SLACK_APP_TOKEN must start with xapp-').optional(),
    SLACK_API_URL: z.string().url().optional(),
    DISCORD_TOKEN: z.string().min(1).optional(),
    DISCORD_APPLICATION_ID: z.string().regex(/^\d+$/, 'DISCORD_APPLICATION_ID must be the numeric application id').optional(),
    DISCORD_API_URL: z.string().url('DISCORD_API_URL must be a full address such as http://127.0.0.1:8080/api').optional(),
    DISCORD_GUILD_IDS: z.string().regex(/^\d+(,\d+)*$/, 'DISCORD_GUILD_IDS must be numeric server (guild) ids separated by commas').optional(),
    TEAMS_APP_ID: z.string().regex(GUID, 'TEAMS_APP_ID must be the Microsoft app id, a GUID such as 00000000-0000-0000-0000-000000000000').optional(),
    TEAMS_APP_PASSWORD: z.string().min(1).optional(),
    TEAMS_APP_TENANT_ID: z.string().regex(GUID, 'TEAMS_APP_TENANT_ID must be the directory (tenant) id, a GUID').optional(),
    TEAMS: z.enum(['on', 'off']).default('off'),
    DELIVERY_LEASE_SECONDS: z.coerce.number().min(3).max(600).default(15),
    JOB_LEASE_SECONDS: z.coerce.number().min(3).max(3600).default(60),
    DATABASE_START_TIMEOUT_SECONDS: z.coerce.number().min(0).max(3600).default(60),
    MICROSOFT_ISSUER: z
      .string()
      .url('MICROSOFT_ISSUER must be the OpenID issuer address, such as https://login.microsoftonline.com/<tenant id>/v2.0')
      .optional(),
    MICROSOFT_CLIENT_ID: z.string().min(1).optional(),
    MICROSOFT_CLIENT_SECRET: z.string().min(1).optional(),
  });

export type Config = z.infer<typeof Env>;

/** Settings that only make sense together; checked on the raw values so they show up even when other settings are wrong. */
function crossChecks(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const need = (cond: boolean, message: string) => cond && problems.push(message);
  need(!!env.SMTP_URL && !env.PUBLIC_URL, 'PUBLIC_URL is required when SMTP_URL is set: it is the address put in sign-in mails');
  need(!!env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN, 'SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode) is required when SLACK_BOT_TOKEN is set');
  need(!env.SLACK_BOT_TOKEN && !!(env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN), 'SLACK_BOT_TOKEN is required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set');
  need(!!env.DISCORD_TOKEN && !env.DISCORD_APPLICATION_ID, 'DISCORD_APPLICATION_ID is required when DISCORD_TOKEN is set');
  need(!env.DISCORD_TOKEN && !!env.DISCORD_APPLICATION_ID, 'DISCORD_TOKEN is required when DISCORD_APPLICATION_ID is set');
  need(!!env.TEAMS_APP_ID !== !!env.TEAMS_APP_PASSWORD, 'TEAMS_APP_ID and TEAMS_APP_PASSWORD go together: set both, or neither for local use');
  need(!!env.TEAMS_APP_TENANT_ID && !env.TEAMS_APP_ID, 'TEAMS_APP_ID is required when TEAMS_APP_TENANT_ID is set');
  need(env.TEAMS === 'off' && !!env.TEAMS_APP_ID, 'TEAMS=off contradicts TEAMS_APP_ID: unset one of them');
  const microsoft = [env.MICROSOFT_ISSUER, env.MICROSOFT_CLIENT_ID, env.MICROSOFT_CLIENT_SECRET].filter(Boolean).length;
  need(microsoft > 0 && microsoft < 3, 'MICROSOFT_ISSUER, MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET go together: set all three for Sign in with Microsoft, or none');
  return problems;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads the environment (process.env by default); throws a ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = Env.safeParse(cleaned);
  const problems = [
    ...(result.success
      ? []
      : result.error.issues.map((i) => {
          const key = String(i.path[0] ?? '');
          return i.message.includes(key) ? i.message : `${key}: ${i.message}`;
        })),
    ...crossChecks(cleaned),
  ];
  if (problems.length || !result.success) throw new ConfigError(problems);
  return result.data;
}

/** Loads the configuration, or prints every problem and answers null (the caller exits 1). */
export function loadConfigOrExplain(): Config | null {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    return null;
  }
}
