import { defineCatalogues, type KeysOf } from './i18n.ts';

/**
 * The home view's wording, for every feature's section in one place (one register, one set of
 * terms). Names sit after a label ("Forum: …", "Vote: …"), never where Welsh would mutate them;
 * numbers go through ICU plurals, with Welsh numerals written out where they mutate the noun.
 */
export const homeCatalogues = defineCatalogues({
  en: {
    'core.cmd.home': 'Your home: what is waiting for you in this forum (votes, nominations, report-backs, your issues, what you follow)',
    'core.home.title': 'Your forum home',
    'core.home.forum': 'Forum: {forum}',
    'core.home.summary': '{count, plural, =0 {Nothing needs you just now.} one {One thing needs you.} other {# things need you.}}',
    'core.home.noForum': 'You are not in a forum yet. Ask to join one with “join <forum>”, or see what you can do.',
    'core.home.notMember': 'Your membership of this forum is not active yet, so there is nothing here for you to vote on or report. An officer will look at your request.',
    'core.home.notJoined': 'You are not a member of this forum yet. Ask to join with “join”.',
    'core.home.refresh': 'Refresh',
    'core.home.help': 'What you can do',
    'core.home.more': '{count, plural, one {And one more: type “{command}”.} other {And # more: type “{command}”.}}',
    'core.home.section.voting': '{count, plural, one {One election is waiting for your vote} other {# elections are waiting for your vote}}',
    'core.home.section.nominations': '{count, plural, one {One election is taking nominations} other {# elections are taking nominations}}',
    'core.home.section.reportbacks': '{count, plural, one {One report-back is due from you} other {# report-backs are due from you}}',
    'core.home.section.issues': '{count, plural, one {The issue you raised} other {The # issues you raised}}',
    'core.home.section.following': 'What you follow',
    'core.home.voting.item': '**{title}**\nVoting closes: {date}',
    'core.home.voting.vote': 'Vote: {title}',
    'core.home.nominations.item': '**{title}**\nNominations close: {date}',
    'core.home.nominations.standing': 'You are a candidate.',
    'core.home.nominations.invited': 'You have been nominated: accept to stand.',
    'core.home.nominations.nominate': 'Nominate myself: {title}',
    'core.home.nominations.accept': 'Accept nomination: {title}',
    'core.home.reportbacks.item': '**{partnership}**\nMeeting: {meeting}\nDue: {due}',
    'core.home.reportbacks.overdue': '**{partnership}**\nMeeting: {meeting}\nDue: {due} (overdue)',
    'core.home.reportbacks.file': 'File report-back: {partnership}',
    'core.home.issues.item': '**Issue {number}, {partnership}**\n{text}\nStatus: {status, select, ANSWERED {answered} other {open, waiting for the next meeting}}',
    'core.home.issues.response': 'Response: {response}',
    'core.home.issues.all': 'Open issues',
    'core.home.following.updates': 'Updates: {themes}\nHow: {mode, select, DIGEST {a weekly digest} other {as they happen}}',
    'core.home.following.tenders': 'Tender alerts: {filters}\nHow: {mode, select, digest {a digest} other {as they come}}',
    'core.home.following.none': 'You follow no updates or tender alerts yet.',
    'core.home.following.recentUpdates': 'Recent updates',
    'core.home.following.openTenders': 'Open tenders',
    'core.home.following.howUpdates': 'How to follow updates',
    'core.home.following.howTenders': 'How to get tender alerts',
  },
  cy: {
    'core.cmd.home': 'Eich hafan: beth sy’n aros amdanoch chi yn y fforwm hwn (pleidleisiau, enwebiadau, adroddiadau, eich materion, beth rydych chi’n ei ddilyn)',
    'core.home.title': 'Eich hafan yn y fforwm',
    'core.home.forum': 'Fforwm: {forum}',
    'core.home.summary':
      '{count, plural, zero {Nid oes angen eich sylw ar hyn o bryd.} one {Mae un peth angen eich sylw.} two {Mae dau beth angen eich sylw.} few {Mae tri pheth angen eich sylw.} many {Mae chwe pheth angen eich sylw.} other {Mae # peth angen eich sylw.}}',
    'core.home.noForum': 'Nid ydych mewn fforwm eto. Gofynnwch am gael ymuno ag un gydag “ymuno <fforwm>”, neu gwelwch beth allwch chi ei wneud.',
    'core.home.notMember': 'Nid yw’ch aelodaeth o’r fforwm hwn yn weithredol eto, felly nid oes dim yma i chi bleidleisio arno na’i adrodd. Bydd swyddog yn edrych ar eich cais.',
    'core.home.notJoined': 'Nid ydych yn aelod o’r fforwm hwn eto. Gofynnwch am gael ymuno gydag “ymuno”.',
    'core.home.refresh': 'Adnewyddu',
    'core.home.help': 'Beth allwch chi ei wneud',
    'core.home.more':
      '{count, plural, zero {Dim mwy.} one {Ac un arall: teipiwch “{command}”.} two {A dau arall: teipiwch “{command}”.} few {A thri arall: teipiwch “{command}”.} many {A chwech arall: teipiwch “{command}”.} other {A # arall: teipiwch “{command}”.}}',
    'core.home.section.voting':
      '{count, plural, zero {Nid oes etholiad yn aros am eich pleidlais} one {Mae un etholiad yn aros am eich pleidlais} two {Mae dau etholiad yn aros am eich pleidlais} few {Mae tri etholiad yn aros am eich pleidlais} many {Mae chwe etholiad yn aros am eich pleidlais} other {Mae # etholiad yn aros am eich pleidlais}}',
    'core.home.section.nominations':
      '{count, plural, zero {Nid oes etholiad yn derbyn enwebiadau} one {Mae un etholiad yn derbyn enwebiadau} two {Mae dau etholiad yn derbyn enwebiadau} few {Mae tri etholiad yn derbyn enwebiadau} many {Mae chwe etholiad yn derbyn enwebiadau} other {Mae # etholiad yn derbyn enwebiadau}}',
    'core.home.section.reportbacks':
      '{count, plural, zero {Nid oes adroddiad yn ddyledus gennych chi} one {Mae un adroddiad yn ddyledus gennych chi} two {Mae dau adroddiad yn ddyledus gennych chi} few {Mae tri adroddiad yn ddyledus gennych chi} many {Mae chwe adroddiad yn ddyledus gennych chi} other {Mae # adroddiad yn ddyledus gennych chi}}',
    'core.home.section.issues':
      '{count, plural, zero {Dim mater a godwyd gennych chi} one {Y mater a godwyd gennych chi} two {Y ddau fater a godwyd gennych chi} few {Y tri mater a godwyd gennych chi} many {Y chwe mater a godwyd gennych chi} other {Y # mater a godwyd gennych chi}}',
    'core.home.section.following': 'Beth rydych chi’n ei ddilyn',
    'core.home.voting.item': '**{title}**\nY pleidleisio’n cau: {date}',
    'core.home.voting.vote': 'Pleidleisio: {title}',
    'core.home.nominations.item': '**{title}**\nEnwebiadau’n cau: {date}',
    'core.home.nominations.standing': 'Rydych chi’n ymgeisydd.',
    'core.home.nominations.invited': 'Rydych chi wedi cael eich enwebu: derbyniwch i sefyll.',
    'core.home.nominations.nominate': 'Fy enwebu fy hun: {title}',
    'core.home.nominations.accept': 'Derbyn yr enwebiad: {title}',
    'core.home.reportbacks.item': '**{partnership}**\nCyfarfod: {meeting}\nErbyn: {due}',
    'core.home.reportbacks.overdue': '**{partnership}**\nCyfarfod: {meeting}\nErbyn: {due} (yn hwyr)',
    'core.home.reportbacks.file': 'Ffeilio adroddiad: {partnership}',
    'core.home.issues.item': '**Mater {number}, {partnership}**\n{text}\nStatws: {status, select, ANSWERED {wedi’i ateb} other {ar agor, yn aros am y cyfarfod nesaf}}',
    'core.home.issues.response': 'Ymateb: {response}',
    'core.home.issues.all': 'Materion agored',
    'core.home.following.updates': 'Diweddariadau: {themes}\nSut: {mode, select, DIGEST {crynodeb wythnosol} other {wrth iddynt ddigwydd}}',
    'core.home.following.tenders': 'Rhybuddion tendr: {filters}\nSut: {mode, select, digest {crynodeb} other {wrth iddynt gyrraedd}}',
    'core.home.following.none': 'Nid ydych yn dilyn unrhyw ddiweddariadau na rhybuddion tendr eto.',
    'core.home.following.recentUpdates': 'Diweddariadau diweddar',
    'core.home.following.openTenders': 'Tendrau agored',
    'core.home.following.howUpdates': 'Sut i ddilyn diweddariadau',
    'core.home.following.howTenders': 'Sut i gael rhybuddion tendr',
  },
});

declare module './i18n.ts' {
  interface MessageCatalogue extends KeysOf<typeof homeCatalogues> {}
}
