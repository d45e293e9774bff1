import { scenarioSuite } from './scenarios.ts';
import { webDriver } from './web-driver.ts';

scenarioSuite('the web chat', webDriver);
