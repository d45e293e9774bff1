/**
 * A forum where one member, Amira, has something of every kind waiting: an election to vote in,
 * one taking nominations, a report-back she owes, an issue she raised, updates she follows. Made
 * with chat commands only, so any platform's driver can build it.
 */
export interface HomeWorldDriver {
  /** a user types a command; the text of what they were shown */
  say(user: string, text: string): Promise<string>;
  /** moves the clock on and runs the jobs that fall due (voting opens, report-backs are asked for) */
  advance(ms: number): Promise<void>;
}

const DAY = 24 * 3600_000;
const codeIn = (text: string) => {
  const m = /code=([0-9A-F]{10})/.exec(text);
  if (!m) throw new Error(`no invite code in: ${text}`);
  return m[1];
};

/** Builds the forum (the clock starts on 22 November 2026); Amira's home then has three things needing her. */
export async function buildHomeWorld(d: HomeWorldDriver, amira = 'amira'): Promise<void> {
  const must = async (user: string, text: string, expected: RegExp) => {
    const got = await d.say(user, text);
    if (!expected.test(got)) throw new Error(`${user}: “${text}” answered: ${got}`);
  };
  await must('officer', 'forum create Powys Forum cvc="PAVO"', /created/);
  await d.say('officer', 'organisation add Brecon Mind');
  await d.say('officer', 'organisation add Hay Carers');
  await d.say('officer', 'partnership add Health Board');
  for (const seat of ['Carers seat', 'Mental health seat', 'Youth seat']) await d.say('officer', `seat add partnership="Health Board" ${seat}`);
  const code = codeIn(await d.say('officer', 'invite create organisation="Brecon Mind" uses=5'));
  for (const u of [amira, 'ffion']) await must(u, `join code=${code}`, /Welcome|Croeso/);
  await must('gareth', `join code=${codeIn(await d.say('officer', 'invite create organisation="Hay Carers" uses=5'))}`, /Welcome|Croeso/);
  await must('officer', `seat fill partnership="Health Board" seat="Carers seat" person=${amira}`, /.+/);
  await must('officer', 'election open Mental Health 2027 partnership="Health Board" seats="Mental health seat" nominations=7 gap=0 seconder=no franchise=individual', /set up/);
  await must('ffion', 'nominate Mental Health 2027', /nominated/);
  await must('gareth', 'nominate Mental Health 2027', /nominated/);
  await must('officer', 'election close Mental Health 2027', /nominations closed/);
  await must('officer', 'meeting add Health Board date=23/11/2026 start=14:00 end=16:00 place="County Hall"', /.+/);
  await d.advance(7 * DAY + 60_000); // voting opens; the meeting is over, so its report-backs are asked for
  await must('officer', 'election open Youth 2027 partnership="Health Board" seats="Youth seat" nominations=14 gap=0 seconder=no franchise=individual', /set up/);
  await must(amira, 'issue raise partnership="Health Board" More respite care for carers in Brecon', /.+/);
  await must(amira, 'updates subscribe themes=health mode=digest', /.+/);
}
