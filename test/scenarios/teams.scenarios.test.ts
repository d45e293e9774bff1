import { scenarioSuite } from './scenarios.ts';
import { teamsDriver } from './teams-driver.ts';

scenarioSuite('Microsoft Teams', teamsDriver);
