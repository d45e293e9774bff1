import { defineCatalogues, type KeysOf } from '../../core/i18n.ts';

/** What "Sign in with Microsoft" says: its button and each way a sign-in can be refused. */
export const microsoftCatalogues = defineCatalogues({
  en: {
    'web.microsoft.button': 'Sign in with Microsoft',
    'web.microsoft.title': 'Sign in with Microsoft',
    'web.microsoft.back': 'Back to the chat',
    'web.microsoft.again': 'Try again',
    'web.microsoft.error.state':
      'This sign-in did not start on this browser, or it took too long. Nobody was signed in. Start again from the sign-in page.',
    'web.microsoft.error.token': 'Microsoft’s answer could not be verified, so nobody was signed in. Start again from the sign-in page.',
    'web.microsoft.error.denied': 'Microsoft did not sign you in ({reason}). Nothing was changed.',
    'web.microsoft.error.noOid': 'Your Microsoft account did not say who you are in your organisation, so nobody was signed in. Ask your IT administrator.',
    'web.microsoft.error.unavailable': 'Microsoft sign-in cannot be reached just now. Nothing was changed. Try again in a few minutes.',
    'web.microsoft.error.badRequest': 'This sign-in address is not complete. Nobody was signed in. Start again from the sign-in page.',
  },
  cy: {
    'web.microsoft.button': 'Mewngofnodi gyda Microsoft',
    'web.microsoft.title': 'Mewngofnodi gyda Microsoft',
    'web.microsoft.back': 'Yn ôl i’r sgwrs',
    'web.microsoft.again': 'Rhowch gynnig arall arni',
    'web.microsoft.error.state':
      'Ni ddechreuodd y mewngofnodi hwn ar y porwr hwn, neu fe gymerodd ormod o amser. Ni chafodd neb ei fewngofnodi. Dechreuwch eto o’r dudalen mewngofnodi.',
    'web.microsoft.error.token': 'Nid oedd modd gwirio ateb Microsoft, felly ni chafodd neb ei fewngofnodi. Dechreuwch eto o’r dudalen mewngofnodi.',
    'web.microsoft.error.denied': 'Ni wnaeth Microsoft eich mewngofnodi ({reason}). Ni newidiwyd dim.',
    'web.microsoft.error.noOid': 'Ni ddywedodd eich cyfrif Microsoft pwy ydych chi yn eich sefydliad, felly ni chafodd neb ei fewngofnodi. Gofynnwch i’ch gweinyddwr TG.',
    'web.microsoft.error.unavailable': 'Nid oes modd cyrraedd mewngofnodi Microsoft ar hyn o bryd. Ni newidiwyd dim. Rhowch gynnig arall arni ymhen ychydig funudau.',
    'web.microsoft.error.badRequest': 'Nid yw’r cyfeiriad mewngofnodi hwn yn gyflawn. Ni chafodd neb ei fewngofnodi. Dechreuwch eto o’r dudalen mewngofnodi.',
  },
});

declare module '../../core/i18n.ts' {
  interface MessageCatalogue extends KeysOf<typeof microsoftCatalogues> {}
}
