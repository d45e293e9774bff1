import type { Locale } from '../../core/i18n.ts';
import type { Db } from '../../db/client.ts';
import { codeName } from '../breaches/catalogue.service.ts';

/** The forum's compact codes by key, in the reader's language (a key the forum lacks stands as it is). */
export async function codeLabeller(db: Db, forumId: string, locale: Locale): Promise<(key: string) => string> {
  const codes = await db.compactCode.findMany({ where: { compact: { forumId } }, select: { key: true, name: true, nameCy: true } });
  return (k) => {
    const c = codes.find((x) => x.key === k);
    return c ? codeName(c, locale) : k;
  };
}
