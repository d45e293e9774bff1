import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdaptiveCard } from '../../../adapters/teams/render.ts';
import { createApp } from '../../../src/app.ts';
import { allText, type ScenarioDriver, type Shown } from '../../scenarios/driver.ts';
import { teamsDriver } from '../../scenarios/teams-driver.ts';
import { buildHomeWorld } from '../../home/home-world.ts';

const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');
const root = path.resolve(import.meta.dirname, '../../..');

/** What Microsoft's adaptivecards SDK finds wrong with a card (parse and validation), as the platform-limits test checks. */
function cardProblems(card: AdaptiveCard): string[] {
  const problems: string[] = [];
  const context = new AC.SerializationContext();
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of parsed.validateProperties().validationEvents) problems.push(e.message);
  if (Buffer.byteLength(JSON.stringify(card)) > 40_000) problems.push('over 40 KB');
  return problems;
}

describe('Teams: the bot menu (the manifest’s commandLists)', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'adapters/teams/manifest.json'), 'utf8'));
  const { bot: core } = createApp({ db: {} as never });
  const [bot] = manifest.bots;

  it('one menu per scope the bot has, at most 10 commands each (manifest 1.17), within the title and description lengths', () => {
    const lists = bot.commandLists as { scopes: string[]; commands: { title: string; description: string }[] }[];
    expect(lists.length).toBeLessThanOrEqual(3);
    const scopes = lists.flatMap((l) => l.scopes);
    expect([...scopes].sort()).toEqual([...bot.scopes].sort()); // every scope has a menu, none has two
    for (const l of lists) {
      expect(l.commands.length).toBeGreaterThan(0);
      expect(l.commands.length).toBeLessThanOrEqual(10);
      for (const c of l.commands) {
        expect(c.title.length).toBeLessThanOrEqual(32);
        expect(c.description.length).toBeLessThanOrEqual(128);
      }
    }
  });

  it('every menu item is a command the bot understands as typed (Teams puts the title in the message box), and each menu offers home and help', () => {
    for (const l of bot.commandLists as { commands: { title: string }[] }[]) {
      for (const c of l.commands) expect(core.registry.match(c.title), c.title).toBeTruthy();
      expect(l.commands.map((c) => c.title)).toEqual(expect.arrayContaining(['home', 'help']));
    }
  });

  it("the manifest and its Welsh file pass Microsoft's own JSON schemas for their manifest version (as bundled in @microsoft/app-manifest)", () => {
    const schemas = path.join(root, `node_modules/@microsoft/app-manifest/build/json-schemas/teams/v${manifest.manifestVersion}`);
    const cy = JSON.parse(fs.readFileSync(path.join(root, 'adapters/teams/cy.json'), 'utf8'));
    for (const [schemaFile, file] of [
      ['MicrosoftTeams.schema.json', manifest],
      ['MicrosoftTeams.Localization.schema.json', cy],
    ] as const) {
      const schema = JSON.parse(fs.readFileSync(path.join(schemas, schemaFile), 'utf8')) as Record<string, unknown>;
      delete schema.$schema; // draft-07 by its URL, which ajv knows without fetching
      // the localisation schema's key patterns are not valid as Unicode regular expressions; Teams reads them without the u flag
      const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
      expect(validate(file) ? [] : validate.errors, schemaFile).toEqual([]);
    }
    // the check can fail: a menu entry with no title is refused by the schema
    const broken = structuredClone(manifest);
    delete broken.bots[0].commandLists[0].commands[0].title;
    const schema = JSON.parse(fs.readFileSync(path.join(schemas, 'MicrosoftTeams.schema.json'), 'utf8')) as Record<string, unknown>;
    delete schema.$schema;
    expect(new Ajv({ strict: false, unicodeRegExp: false }).compile(schema)(broken)).toBe(false);
  });

  it('a Welsh menu (manifest localisation cy.json): every English command has a Welsh title the bot reads as the same command, in Welsh', () => {
    expect(manifest.localizationInfo).toEqual({ defaultLanguageTag: 'en', additionalLanguages: [{ languageTag: 'cy', file: 'cy.json' }] });
    const cy = JSON.parse(fs.readFileSync(path.join(root, 'adapters/teams', manifest.localizationInfo.additionalLanguages[0].file), 'utf8')) as Record<string, string>;
    expect(cy.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.Localization.schema.json`);
    // the localisation schema's limits for the app's own name and descriptions
    for (const [key, max] of [['name.short', 30], ['name.full', 100], ['description.short', 80], ['description.full', 4000]] as const) {
      expect(cy[key], key).toBeTruthy();
      expect(cy[key].length, key).toBeLessThanOrEqual(max);
    }
    const expected = new Set(['$schema', 'name.short', 'name.full', 'description.short', 'description.full']);
    (bot.commandLists as { commands: { title: string; description: string }[] }[]).forEach((l, i) =>
      l.commands.forEach((c, j) => {
        const at = `bots[0].commandLists[${i}].commands[${j}]`;
        const [title, description] = [cy[`${at}.title`], cy[`${at}.description`]];
        expect(title, `${c.title}: no Welsh title`).toBeTruthy();
        expect(description, `${c.title}: no Welsh description`).toBeTruthy();
        expect(title.length).toBeLessThanOrEqual(32);
        expect(description.length).toBeLessThanOrEqual(128);
        if (c.title !== 'help') expect(title, c.title).not.toBe(c.title);
        expect(description, c.title).not.toBe(c.description);
        // Teams puts the Welsh title in the message box: the same command, read as Welsh
        const english = core.registry.match(c.title)!;
        const welsh = core.registry.match(title);
        expect(welsh?.command, `${title} is not ${c.title}`).toBe(english.command);
        if (c.title !== 'help') expect(welsh?.locale, title).toBe('cy');
        expected.add(`${at}.title`).add(`${at}.description`);
      }),
    );
    // nothing for a command the English menu does not have
    expect(Object.keys(cy).sort()).toEqual([...expected].sort());
  });
});

describe('Teams: “home” answers the home card, through teams-ai and the connector stand-in', () => {
  let d: ScenarioDriver;
  const cardOf = (shown: Shown[]) => {
    const s = shown.find((x) => (x.raw as { card?: AdaptiveCard }).card && /Your forum home|Eich hafan/.test(x.text));
    expect(s, allText(shown)).toBeDefined();
    return s!;
  };
  beforeAll(async () => {
    d = await teamsDriver();
    await buildHomeWorld({ say: async (u, t) => allText(await d.command(u, t)), advance: (ms) => d.advance(ms) });
  }, 180_000);
  afterAll(async () => d?.close());

  it('an Adaptive Card that Microsoft’s parser accepts, with what waits for the member and the buttons to act', async () => {
    const home = cardOf(await d.command('amira', 'home'));
    expect(cardProblems((home.raw as { card: AdaptiveCard }).card)).toEqual([]);
    expect(home.text).toMatch(/3 things need you\./);
    expect(home.text).toMatch(/Mental Health 2027/);
    expect(home.text).toMatch(/Issue 1, Health Board/);
    expect(home.buttons).toEqual(expect.arrayContaining(['Vote: Mental Health 2027', 'Nominate myself: Youth 2027', 'File report-back: Health Board', 'Refresh']));
  });

  it('its Vote button gives the ballot; once cast, the home no longer asks for the vote', async () => {
    const home = cardOf(await d.command('amira', 'home'));
    const shown = [...(await d.press('amira', home, 'Vote: Mental Health 2027')), ...(await d.inbox('amira'))];
    const ballot = shown.find((s) => s.candidates.length);
    expect(ballot, allText(shown)).toBeDefined();
    expect(allText([...(await d.rank('amira', ballot!, ['ffion'])), ...(await d.inbox('amira'))])).toMatch(/receipt/i);
    const after = cardOf(await d.command('amira', 'home'));
    expect(after.text).not.toMatch(/waiting for your vote/);
    expect(after.text).toMatch(/2 things need you\./);
  });

  it('in Welsh, typed as “hafan”', async () => {
    await d.command('gareth', 'language cy');
    const home = cardOf(await d.command('gareth', 'hafan'));
    expect(cardProblems((home.raw as { card: AdaptiveCard }).card)).toEqual([]);
    expect(home.text).toMatch(/Mae dau beth angen eich sylw\./);
    expect(home.buttons).toContain('Pleidleisio: Mental Health 2027');
  });
});
