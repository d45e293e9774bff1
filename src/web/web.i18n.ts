import type { Catalogues } from '../core/i18n.ts';

/** What the web server answers when a request cannot be served (JSON `error` / `errorCy`). */
export const webCatalogues: Catalogues = {
  en: {
    'web.error.badRequest': 'The request could not be read: fix what is listed under "problems" and send it again.',
    'web.error.tooLarge': 'The request is too large. Send a shorter message.',
    'web.error.mediaType': 'The request must be sent as JSON (Content-Type: application/json).',
    'web.error.notFound': 'There is nothing at this address.',
    'web.error.tooMany': 'Too many requests. Wait {seconds} seconds and try again.',
    'web.error.internal': 'Sorry, something went wrong on our side. Please try again.',
    'web.error.notStarted': 'The chat is starting. Try again in a moment.',
    'web.error.forbidden': 'You may not do that.',
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
  },
};
