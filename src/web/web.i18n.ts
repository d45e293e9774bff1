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
    'web.error.notYours': 'That belongs to someone else: you can only read your own messages and the rooms of forums you are a member of.',
  },
  cy: {
    'web.error.badRequest': 'Nid oedd modd darllen y cais: cywirwch yr hyn a restrir o dan "problems" a’i anfon eto.',
    'web.error.tooLarge': 'Mae’r cais yn rhy fawr. Anfonwch neges fyrrach.',
    'web.error.mediaType': 'Rhaid anfon y cais fel JSON (Content-Type: application/json).',
    'web.error.notFound': 'Does dim byd yn y cyfeiriad hwn.',
    'web.error.tooMany': 'Gormod o geisiadau. Arhoswch {seconds} eiliad a rhowch gynnig arall arni.',
    'web.error.internal': 'Mae’n ddrwg gennym, aeth rhywbeth o’i le ar ein hochr ni. Rhowch gynnig arall arni.',
    'web.error.notStarted': 'Mae’r sgwrs yn cychwyn. Rhowch gynnig arall arni mewn munud.',
    'web.error.forbidden': 'Ni chewch wneud hynny.',
    'web.error.crossSite': 'Daeth y cais hwn o wefan arall, felly cafodd ei wrthod. Defnyddiwch dudalen forumbot ei hun.',
    'web.error.signIn': 'Mewngofnodwch yn gyntaf.',
    'web.error.notYours': 'Mae hynny’n perthyn i rywun arall: dim ond eich negeseuon eich hun ac ystafelloedd fforymau rydych yn aelod ohonynt y cewch eu darllen.',
  },
});

declare module '../core/i18n.ts' {
  interface MessageCatalogue extends KeysOf<typeof webCatalogues> {}
}
