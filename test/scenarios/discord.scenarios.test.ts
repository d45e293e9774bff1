import { discordDriver } from './discord-driver.ts';
import { scenarioSuite } from './scenarios.ts';

scenarioSuite('Discord (discord.js against the stand-in)', discordDriver);
