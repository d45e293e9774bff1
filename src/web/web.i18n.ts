import { defineCatalogues, type KeysOf } from '../core/i18n.ts';

/** What the web server answers when a request cannot be served (JSON `error` / `errorCy`). */
export const webCatalogues = defineCatalogues({
  en: {
    'web.error.badRequest': 'The request could not be read: fix what is listed under "problems" and send it again.',
    'web.error.tooLarge': 'The request is too large. Send a shorter message.',
    'web.error.mediaType': 'The request must be sent as JSON (Content-Type: application/json).',
    'web.error.notFound': 'There is nothing at this address.',
    'web.error.tooMany': 'Too many requests. Wait {seconds} seconds and try again.',
    'web.error.internal': 'Sorry, something went wrong on our side. Please try again.',
    'web.error.notStarted': 'The chat is starting. Try again in a moment.',
    'web.error.forbidden': 'You may not do that.',
    'web.error.crossSite': 'This request came from another website, so it was refused. Use the forumbot page itself.',
    'web.error.signIn': 'Please sign in first.',
    'web.signIn.sent': 'If {email} can sign in here, a link and a six-digit code are on their way to it. They work once, for 15 minutes.',
    'web.signIn.mailDown': 'The sign-in mail could not be sent just now. Please try again in a few minutes.',
    'web.signIn.locked': 'Too many wrong codes for this address: it is locked for {minutes} minutes. Then ask for a new code.',
    'web.signIn.badCode': 'That code is not right. Tries left before the address is locked: {tries}.',
    'web.signIn.noCode': 'There is no code waiting for this address. Ask for a new one.',
    'web.signIn.codeExpired': 'That code has expired (codes last 15 minutes). Ask for a new one.',
    'web.signIn.linkUsed': 'This sign-in link has already been used or is not valid. Ask for a new one.',
    'web.signIn.linkExpired': 'This sign-in link has expired (links last 15 minutes). Ask for a new one.',
    'web.signIn.demoOnly': 'Demo people are only available when forumbot is started in demo mode.',
    'web.signIn.subject': 'Your forumbot sign-in link',
    'web.signIn.mail': 'To sign in to forumbot, open this link:\n{link}\n\nOr type this code on the sign-in page: {code}\n\nThe link and the code work once, for {minutes} minutes. If you did not ask to sign in, ignore this mail.',
    'web.error.notYours': 'That belongs to someone else: you can only read your own messages and the rooms of forums you are a member of.',
  },
  cy: {
    'web.error.badRequest': 'Nid oedd modd darllen y cais: cywirwch yr hyn a restrir o dan "problems" a’i anfon eto.',
    'web.error.tooLarge': 'Mae’r cais yn rhy fawr. Anfonwch neges fyrrach.',
    'web.error.mediaType': 'Rhaid anfon y cais fel JSON (Content-Type: application/json).',
    'web.error.notFound': 'Nid oes dim yn y cyfeiriad hwn.',
    'web.error.tooMany': 'Gormod o geisiadau. Arhoswch {seconds} eiliad a rhowch gynnig arall arni.',
    'web.error.internal': 'Mae’n ddrwg gennym, aeth rhywbeth o’i le ar ein hochr ni. Rhowch gynnig arall arni.',
    'web.error.notStarted': 'Mae’r sgwrs yn cychwyn. Rhowch gynnig arall arni mewn munud.',
    'web.error.forbidden': 'Ni chewch wneud hynny.',
    'web.error.crossSite': 'Daeth y cais hwn o wefan arall, felly cafodd ei wrthod. Defnyddiwch dudalen forumbot ei hun.',
    'web.error.signIn': 'Mewngofnodwch yn gyntaf.',
    'web.signIn.sent': 'Os gall {email} fewngofnodi yma, mae dolen a chod chwe digid ar eu ffordd ato. Maen nhw’n gweithio unwaith, am 15 munud.',
    'web.signIn.mailDown': 'Nid oedd modd anfon yr e-bost mewngofnodi ar hyn o bryd. Rhowch gynnig arall arni ymhen ychydig funudau.',
    'web.signIn.locked': 'Gormod o godau anghywir ar gyfer y cyfeiriad hwn: mae wedi’i gloi am {minutes} munud. Yna gofynnwch am god newydd.',
    'web.signIn.badCode': 'Nid yw’r cod hwnnw’n gywir. Cynigion ar ôl cyn i’r cyfeiriad gael ei gloi: {tries}.',
    'web.signIn.noCode': 'Nid oes cod yn aros am y cyfeiriad hwn. Gofynnwch am un newydd.',
    'web.signIn.codeExpired': 'Mae’r cod hwnnw wedi dod i ben (mae codau’n para 15 munud). Gofynnwch am un newydd.',
    'web.signIn.linkUsed': 'Mae’r ddolen fewngofnodi hon eisoes wedi’i defnyddio neu nid yw’n ddilys. Gofynnwch am un newydd.',
    'web.signIn.linkExpired': 'Mae’r ddolen fewngofnodi hon wedi dod i ben (mae dolenni’n para 15 munud). Gofynnwch am un newydd.',
    'web.signIn.demoOnly': 'Dim ond pan fydd forumbot wedi’i gychwyn yn y modd arddangos y mae pobl arddangos ar gael.',
    'web.signIn.subject': 'Eich dolen fewngofnodi forumbot',
    'web.signIn.mail': 'I fewngofnodi i forumbot, agorwch y ddolen hon:\n{link}\n\nNeu teipiwch y cod hwn ar y dudalen fewngofnodi: {code}\n\nMae’r ddolen a’r cod yn gweithio unwaith, am {minutes} munud. Os na wnaethoch ofyn am gael mewngofnodi, anwybyddwch yr e-bost hwn.',
    'web.error.notYours': 'Mae hynny’n perthyn i rywun arall: dim ond eich negeseuon eich hun ac ystafelloedd fforymau rydych yn aelod ohonynt y cewch eu darllen.',
  },
});

declare module '../core/i18n.ts' {
  interface MessageCatalogue extends KeysOf<typeof webCatalogues> {}
}
