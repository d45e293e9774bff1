import { scenarioSuite } from './scenarios.ts';
import { slackDriver } from './slack-driver.ts';

scenarioSuite('Slack (Bolt over HTTP, against the Slack stand-in)', () => slackDriver());
scenarioSuite('Slack in Socket Mode', () => slackDriver({ socketMode: true }));
