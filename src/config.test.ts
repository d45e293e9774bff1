import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('config', () => {
  it('defaults to the embedded database on port 3000', () => {
    const c = loadConfig({});
    expect([c.PORT, c.DATABASE_URL, c.DATA_DIR]).toEqual([3000, undefined, './data']);
  });

  it('reports every problem at once, in plain words', () => {
    try {
      loadConfig({ PORT: 'eighty', SLACK_BOT_TOKEN: 'xoxb-1', DISCORD_TOKEN: 'abc', DATABASE_URL: 'mysql://x' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems;
      expect(problems).toContain('SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode) is required when SLACK_BOT_TOKEN is set');
      expect(problems).toContain('DISCORD_APPLICATION_ID is required when DISCORD_TOKEN is set');
      expect(problems).toContain('DATABASE_URL must start with postgresql:// (leave it unset for the embedded database)');
      expect(problems.some((p) => p.startsWith('PORT:'))).toBe(true);
      expect(problems).toHaveLength(4);
    }
  });

  it('takes Sign in with Microsoft as three settings together', () => {
    const ms = { MICROSOFT_ISSUER: 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0', MICROSOFT_CLIENT_ID: 'app', MICROSOFT_CLIENT_SECRET: 's3cret' };
    expect(loadConfig(ms).MICROSOFT_ISSUER).toBe(ms.MICROSOFT_ISSUER);
    expect(() => loadConfig({ MICROSOFT_CLIENT_ID: 'app' })).toThrow(/MICROSOFT_ISSUER, MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET go together/);
    expect(() => loadConfig({ ...ms, MICROSOFT_ISSUER: 'login.microsoftonline.com' })).toThrow(/MICROSOFT_ISSUER must be the OpenID issuer address/);
  });

  it('takes an SMTP server for sign-in mail only with the public address the links point to', () => {
    expect(loadConfig({ SMTP_URL: 'smtp://u:p@mail.example.org:587', PUBLIC_URL: 'https://forum.example.org' }).SMTP_URL).toBe('smtp://u:p@mail.example.org:587');
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.example.org' })).toThrow(/PUBLIC_URL is required when SMTP_URL is set/);
    expect(() => loadConfig({ SMTP_URL: 'mail.example.org', PUBLIC_URL: 'https://forum.example.org' })).toThrow(/SMTP_URL must start with smtp:\/\/ or smtps:\/\//);
  });
});
